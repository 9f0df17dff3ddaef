-- Proposals (a group's decisions), their lifecycle log, votes, templates and governance documents.
CREATE TABLE proposals (
    id TEXT PRIMARY KEY,
    post_id TEXT UNIQUE REFERENCES posts (id) ON DELETE SET NULL,
    ap_id TEXT,
    group_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    local BOOLEAN NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    kind TEXT NOT NULL,
    template TEXT,
    answers TEXT NOT NULL,
    payload TEXT,
    decision_rule TEXT NOT NULL,
    quorum TEXT NOT NULL,
    scope TEXT NOT NULL,
    state TEXT NOT NULL,
    discussion_days INTEGER NOT NULL,
    voting_days INTEGER NOT NULL,
    members_at_open BIGINT,
    voting_ends_at BIGINT,
    outcome TEXT,
    rationale TEXT,
    tally TEXT,
    decided_at BIGINT,
    decision_json TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX proposals_group ON proposals (group_id, created_at);
CREATE INDEX proposals_ap_id ON proposals (ap_id);
CREATE INDEX proposals_voting ON proposals (state, voting_ends_at);

CREATE TABLE proposal_log (
    id TEXT PRIMARY KEY,
    proposal_id TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    from_state TEXT,
    to_state TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    reason TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX proposal_log_proposal ON proposal_log (proposal_id, at);

CREATE TABLE proposal_votes (
    id TEXT PRIMARY KEY,
    proposal_id TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    voter_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    institution TEXT NOT NULL,
    choice TEXT NOT NULL,
    reason TEXT,
    ap_id TEXT NOT NULL,
    proof TEXT,
    cast_at BIGINT NOT NULL,
    UNIQUE (proposal_id, voter_id)
);

CREATE TABLE proposal_templates (
    group_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    guidance TEXT NOT NULL,
    fields TEXT NOT NULL,
    time_commitment TEXT NOT NULL,
    decision_rule TEXT NOT NULL,
    quorum TEXT NOT NULL,
    scope TEXT NOT NULL,
    discussion_days INTEGER NOT NULL,
    voting_days INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, slug)
);

CREATE TABLE governance_documents (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    scopes TEXT NOT NULL,
    body TEXT NOT NULL,
    code_of_conduct TEXT NOT NULL,
    proposal_id TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (owner_id, version)
);
