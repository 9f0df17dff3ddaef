//! The privacy matrix's cells: every check is collected, and one table shows every mismatch.

use crate::matrix::Expect;
use std::fmt::Write as _;

/// One checked cell.
#[derive(Clone, Debug)]
pub struct Cell {
    pub path: String,
    pub content: String,
    pub reader: String,
    pub expect: Expect,
    pub got: bool,
    pub note: String,
}

impl Cell {
    pub fn failed(&self) -> bool {
        matches!(
            (self.expect, self.got),
            (Expect::Yes, false) | (Expect::No, true)
        )
    }
}

/// Every cell of one run.
#[derive(Default)]
pub struct Matrix {
    pub cells: Vec<Cell>,
}

impl Matrix {
    pub fn check(&mut self, path: &str, content: &str, reader: &str, expect: Expect, got: bool) {
        self.note(path, content, reader, expect, got, "");
    }

    pub fn note(
        &mut self,
        path: &str,
        content: &str,
        reader: &str,
        expect: Expect,
        got: bool,
        note: &str,
    ) {
        self.cells.push(Cell {
            path: path.into(),
            content: content.into(),
            reader: reader.into(),
            expect,
            got,
            note: note.into(),
        });
    }

    /// Writes every cell (`path content reader expected got note`, tab-separated) to the file
    /// named by `MATRIX_DUMP`, if set: for looking at what passed as well as what failed.
    pub fn dump(&self) {
        let Ok(file) = std::env::var("MATRIX_DUMP") else {
            return;
        };
        let lines: Vec<String> = self
            .cells
            .iter()
            .map(|c| {
                let e = format!("{:?}", c.expect);
                format!(
                    "{}\t{}\t{}\t{e}\t{}\t{}",
                    c.path, c.content, c.reader, c.got, c.note
                )
            })
            .collect();
        std::fs::write(file, lines.join("\n")).expect("write MATRIX_DUMP");
    }

    /// The mismatches, grouped by path and content, as a printable table.
    pub fn report(&self) -> (usize, String) {
        let mut bad: Vec<&Cell> = self.cells.iter().filter(|c| c.failed()).collect();
        bad.sort_by(|a, b| (&a.path, &a.content, &a.reader).cmp(&(&b.path, &b.content, &b.reader)));
        let mut out = String::new();
        let _ = writeln!(
            out,
            "privacy matrix: {} cells ({} definite), {} mismatches",
            self.cells.len(),
            self.cells
                .iter()
                .filter(|c| c.expect != Expect::Any)
                .count(),
            bad.len()
        );
        let _ = writeln!(
            out,
            "{:<12} {:<20} {:<30} {:<8} {:<8} note",
            "path", "content", "readers", "expected", "got"
        );
        // One line per (path, content, expected, got): the readers it concerns.
        let mut i = 0;
        while i < bad.len() {
            let c = bad[i];
            let mut readers = vec![c.reader.clone()];
            let mut j = i + 1;
            while j < bad.len()
                && (&bad[j].path, &bad[j].content, bad[j].expect) == (&c.path, &c.content, c.expect)
            {
                readers.push(bad[j].reader.clone());
                j += 1;
            }
            let exp = if c.expect == Expect::Yes {
                "visible"
            } else {
                "hidden"
            };
            let got = if c.got { "visible" } else { "hidden" };
            let _ = writeln!(
                out,
                "{:<12} {:<20} {:<30} {:<8} {:<8} {}",
                c.path,
                c.content,
                readers.join(","),
                exp,
                got,
                c.note
            );
            i = j;
        }
        let mut per_path = std::collections::BTreeMap::<&str, (usize, usize)>::new();
        for c in &self.cells {
            let e = per_path.entry(c.path.as_str()).or_default();
            e.0 += 1;
            e.1 += usize::from(c.failed());
        }
        let summary: Vec<String> = per_path
            .iter()
            .map(|(p, (n, f))| format!("{p} {f}/{n}"))
            .collect();
        let _ = writeln!(out, "mismatches/cells by path: {}", summary.join(", "));
        (bad.len(), out)
    }
}
