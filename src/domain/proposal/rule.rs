//! Decision rules and quorums, with their text forms (`majority`, `supermajority:2/3`, `consent`,
//! `double-majority`; quorum `0`, `12` or `1/2`).

use std::fmt;

/// A fraction `num/den` with `0 < num <= den`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    pub num: u32,
    pub den: u32,
}

impl Fraction {
    pub fn new(num: u32, den: u32) -> Result<Fraction, String> {
        if den == 0 || num == 0 || num > den || den > 1000 {
            return Err(format!("{num}/{den} is not a fraction between 0 and 1"));
        }
        Ok(Fraction { num, den })
    }

    fn parse(s: &str) -> Result<Fraction, String> {
        let (n, d) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?} is not a fraction like 2/3"))?;
        let num = n
            .trim()
            .parse()
            .map_err(|_| format!("bad numerator in {s:?}"))?;
        let den = d
            .trim()
            .parse()
            .map_err(|_| format!("bad denominator in {s:?}"))?;
        Fraction::new(num, den)
    }

    /// Whether `part / whole >= self` (false when `whole` is zero).
    pub fn reached(self, part: u64, whole: u64) -> bool {
        whole > 0 && part * u64::from(self.den) >= whole * u64::from(self.num)
    }

    /// The smallest whole number `>= self * n`.
    pub fn ceil_of(self, n: u64) -> u64 {
        (n * u64::from(self.num)).div_ceil(u64::from(self.den))
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

/// How the votes of a proposal decide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionRule {
    /// More approvals than objections (abstentions do not count either way; a tie fails).
    Majority,
    /// Approvals are at least this share of approvals and objections.
    Supermajority(Fraction),
    /// Passes unless an objection with a stated reason stands when voting closes.
    Consent,
    /// A majority of voting members and a majority of institutions, each institution's position
    /// being the majority of its members' votes.
    DoubleMajority,
}

/// The default supermajority: two thirds.
pub const TWO_THIRDS: Fraction = Fraction { num: 2, den: 3 };

impl DecisionRule {
    pub fn parse(s: &str) -> Result<DecisionRule, String> {
        match s.trim() {
            "majority" => Ok(DecisionRule::Majority),
            "supermajority" => Ok(DecisionRule::Supermajority(TWO_THIRDS)),
            "consent" => Ok(DecisionRule::Consent),
            "double-majority" => Ok(DecisionRule::DoubleMajority),
            other => match other.strip_prefix("supermajority:") {
                Some(f) => Ok(DecisionRule::Supermajority(Fraction::parse(f)?)),
                None => Err(format!(
                    "unknown decision rule {other:?} (majority, supermajority:N/D, consent, double-majority)"
                )),
            },
        }
    }

    /// Whether a member may change their vote until voting closes. Every rule allows it: the
    /// last vote cast before the close counts.
    pub fn allows_changed_votes(self) -> bool {
        true
    }
}

impl fmt::Display for DecisionRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecisionRule::Majority => f.write_str("majority"),
            DecisionRule::Supermajority(x) => write!(f, "supermajority:{x}"),
            DecisionRule::Consent => f.write_str("consent"),
            DecisionRule::DoubleMajority => f.write_str("double-majority"),
        }
    }
}

/// How many members must take part (approve, object or abstain) for a vote to decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quorum {
    /// At least this many voters (0: no quorum).
    Count(u32),
    /// At least this share of the group's members when voting opened.
    Share(Fraction),
}

impl Quorum {
    pub fn parse(s: &str) -> Result<Quorum, String> {
        let s = s.trim();
        if s.contains('/') {
            return Ok(Quorum::Share(Fraction::parse(s)?));
        }
        s.parse::<u32>()
            .map(Quorum::Count)
            .map_err(|_| format!("quorum {s:?} is neither a number nor a fraction like 1/2"))
    }

    /// The voters needed, given the group's member count when voting opened.
    pub fn required(self, members_at_open: u64) -> u64 {
        match self {
            Quorum::Count(n) => u64::from(n),
            Quorum::Share(f) => f.ceil_of(members_at_open),
        }
    }
}

impl fmt::Display for Quorum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Quorum::Count(n) => write!(f, "{n}"),
            Quorum::Share(x) => write!(f, "{x}"),
        }
    }
}

impl TryFrom<String> for DecisionRule {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        DecisionRule::parse(&s)
    }
}

impl From<DecisionRule> for String {
    fn from(r: DecisionRule) -> String {
        r.to_string()
    }
}

impl TryFrom<String> for Quorum {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Quorum::parse(&s)
    }
}

impl From<Quorum> for String {
    fn from(q: Quorum) -> String {
        q.to_string()
    }
}
