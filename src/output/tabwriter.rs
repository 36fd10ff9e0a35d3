//! The layout of `list -w` (cli-runtime's tabwriter, as `kubectl get -w` uses it): each cell
//! padded to the widest cell of its column so far plus 3 spaces and to at least 6, the last
//! cell of a line unpadded, no trailing spaces, and a column never narrows (liggitt/tabwriter's
//! `RememberWidths`), so lines printed later line up with earlier ones unless they are wider.
//! Written here because neither comfy-table (which lays out whole tables, as `list` prints
//! them) nor a tabwriter crate remembers widths across flushes.

use super::table::{StateColor, TableRow};

const PADDING: usize = 3;
const MIN_WIDTH: usize = 6;
const ANSI_RESET: &str = "\x1b[0m";

#[derive(Debug, Default)]
pub(super) struct TabWriter {
    /// The width of each column so far, padding included.
    widths: Vec<usize>,
}

impl TabWriter {
    /// A writer whose columns start at these widths (cell text, without the padding).
    pub(super) fn with_widths(widths: &[usize]) -> Self {
        TabWriter {
            widths: widths
                .iter()
                .map(|width| (width + PADDING).max(MIN_WIDTH))
                .collect(),
        }
    }

    /// Lays out `rows` together (one block), widening columns as they need; the STATE cell
    /// coloured when `color` asks. Returns the lines, each ending with a newline.
    pub(super) fn block(&mut self, rows: &[TableRow], color: bool) -> String {
        for row in rows {
            let cells = row.cells.len();
            for (i, cell) in row.cells.iter().enumerate().take(cells.saturating_sub(1)) {
                let width = (cell.chars().count() + PADDING).max(MIN_WIDTH);
                match self.widths.get_mut(i) {
                    Some(known) => *known = (*known).max(width),
                    None => self.widths.push(width),
                }
            }
        }
        let mut text = String::new();
        for row in rows {
            let mut line = String::new();
            let last = row.cells.len().saturating_sub(1);
            for (i, cell) in row.cells.iter().enumerate() {
                let coloured = color && row.state_column == Some(i);
                if coloured {
                    line.push_str(row.state_color.ansi());
                }
                line.push_str(cell);
                if coloured {
                    line.push_str(ANSI_RESET);
                }
                if i < last {
                    let width = self.widths.get(i).copied().unwrap_or(MIN_WIDTH);
                    line.push_str(&" ".repeat(width.saturating_sub(cell.chars().count())));
                }
            }
            text.push_str(line.trim_end_matches(' '));
            text.push('\n');
        }
        text
    }
}

impl StateColor {
    fn ansi(self) -> &'static str {
        match self {
            StateColor::Green => "\x1b[32m",
            StateColor::Red => "\x1b[31m",
            StateColor::Yellow => "\x1b[33m",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> TableRow {
        TableRow {
            cells: cells.iter().map(|c| c.to_string()).collect(),
            state_column: None,
            state_color: StateColor::Green,
        }
    }

    #[test]
    fn columns_are_kubectls_at_least_six_wide_and_never_narrow() {
        let mut tabs = TabWriter::default();
        assert_eq!(
            tabs.block(
                &[row(&["N", "S"]), row(&["a", "OK"]), row(&["b", ""])],
                false
            ),
            "N     S\na     OK\nb\n"
        );
        assert_eq!(
            tabs.block(&[row(&["a-much-longer-name", "OK"])], false),
            "a-much-longer-name   OK\n"
        );
        assert_eq!(
            tabs.block(&[row(&["a", "OK"])], false),
            "a                    OK\n"
        );
        let mut fixed = TabWriter::with_widths(&[8, 1]);
        assert_eq!(
            fixed.block(&[row(&["ADDED", "x", "y"])], false),
            "ADDED      x     y\n"
        );
    }

    #[test]
    fn colour_wraps_the_state_cell_without_moving_the_columns() {
        let mut coloured = row(&["a", "OK", "1s"]);
        coloured.state_column = Some(1);
        let text = TabWriter::default().block(&[coloured], true);
        assert_eq!(text, "a     \x1b[32mOK\x1b[0m    1s\n");
    }
}
