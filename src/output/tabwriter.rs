//! The one table layout, for every table the plugin prints (`list`, `get` of several requests,
//! custom columns, `list -w`): kubectl's, which is cli-runtime's tabwriter (liggitt/tabwriter,
//! minimum width 6, padding 3, `RememberWidths`). Each cell is padded to the widest cell of
//! its column plus 3 spaces, and to at least 6; the last cell of a line is not padded; no line
//! ends in spaces; widths count characters (Go's tabwriter counts runes), and the STATE cell's
//! colour, when asked for, is not counted.
//!
//! Rows are laid out a block at a time. A block is sized by its own cells and by the widths of
//! the blocks before it: a column widens when a later block needs more room and never narrows
//! (`RememberWidths`), so later lines line up with earlier ones unless they are wider. `list`
//! hands it a block per page, so it never holds more than one page of rows; `list -w` the
//! header with the requests there are, then each change.
//!
//! Written here because no tabwriter crate remembers widths across flushes (the `tabwriter`
//! crate sizes each flush alone) and table crates lay out whole tables.

use super::table::{StateColor, TableRow};

const PADDING: usize = 3;
const MIN_WIDTH: usize = 6;
/// What ends the STATE cell's colour: the default foreground.
const COLOR_RESET: &str = "\x1b[39m";

#[derive(Debug, Default)]
pub(super) struct TabWriter {
    /// The width of each column so far, padding included.
    widths: Vec<usize>,
}

impl TabWriter {
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
                    line.push_str(COLOR_RESET);
                }
                if i < last {
                    let width = self.widths.get(i).copied().unwrap_or(MIN_WIDTH);
                    line.extend(std::iter::repeat_n(
                        ' ',
                        width.saturating_sub(cell.chars().count()),
                    ));
                }
            }
            text.push_str(line.trim_end_matches(' '));
            text.push('\n');
        }
        text
    }
}

impl StateColor {
    /// The 256-colour codes of the bright colours, as the tables have always been coloured.
    fn ansi(self) -> &'static str {
        match self {
            StateColor::Green => "\x1b[38;5;10m",
            StateColor::Red => "\x1b[38;5;9m",
            StateColor::Yellow => "\x1b[38;5;11m",
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
        // A block sizes its columns together; a new column starts at its own width.
        assert_eq!(
            tabs.block(
                &[row(&["b", "OK", "x", "y"]), row(&["c", "", "xyz", ""])],
                false
            ),
            "b                    OK    x     y\nc                          xyz\n"
        );
    }

    #[test]
    fn widths_count_characters_as_gos_tabwriter_counts_runes() {
        let text = TabWriter::default().block(&[row(&["größe", "x"]), row(&["日本", "y"])], false);
        assert_eq!(text, "größe   x\n日本      y\n");
    }

    #[test]
    fn colour_wraps_the_state_cell_without_moving_the_columns() {
        let mut coloured = row(&["a", "OK", "1s"]);
        coloured.state_column = Some(1);
        let text = TabWriter::default().block(&[coloured], true);
        assert_eq!(text, "a     \x1b[38;5;10mOK\x1b[39m    1s\n");
    }
}
