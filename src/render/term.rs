//! What a terminal needs and a pipe does not: the width to wrap to, word
//! wrapping that leaves colour codes out of the count, and OSC 8 hyperlinks.

use std::io::IsTerminal;

use unicode_width::UnicodeWidthChar;

/// How wide to wrap: `--width N` when given (0: never wrap); else the
/// terminal's width when stdout is one; else no wrapping (a pipe gets whole
/// lines, for grep and for scripts).
pub fn width(asked: Option<usize>) -> Option<usize> {
    match asked {
        Some(0) => None,
        Some(n) => Some(n),
        None if std::io::stdout().is_terminal() => terminal_size::terminal_size().map(|(w, _)| w.0 as usize),
        None => None,
    }
}

/// Whether to write links as OSC 8 hyperlinks: on a terminal that colours
/// (the same test as colour: `--color`, `NO_COLOR`), unless `TERM` is `dumb`.
pub fn hyperlinks(color: bool) -> bool {
    color && std::io::stdout().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// `text` as an OSC 8 hyperlink to `url`; terminals without them show the text.
pub fn hyperlink(url: &str, text: &str) -> String {
    format!("\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\")
}

/// The columns `s` takes on a terminal: escape sequences (colour, OSC 8)
/// take none.
pub fn display_width(s: &str) -> usize {
    let mut w = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            match chars.next() {
                // CSI: parameters up to a final byte in @..~.
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC: up to BEL or ESC \.
                Some(']') => {
                    while let Some(c) = chars.next() {
                        if c == '\x07' {
                            break;
                        }
                        if c == '\x1b' && chars.peek() == Some(&'\\') {
                            chars.next();
                            break;
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        w += c.width().unwrap_or(0);
    }
    w
}

/// `text` wrapped to `width` columns at spaces, never inside a word (a word
/// longer than the line stands on a line of its own): the first line starts
/// with `first`, the rest with `rest`. Without a width, `first` + `text`.
pub fn wrap(text: &str, width: Option<usize>, first: &str, rest: &str) -> String {
    let Some(width) = width else { return format!("{first}{text}") };
    let mut out = String::from(first);
    let mut col = display_width(first);
    let mut line_empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = display_width(word);
        if !line_empty && col + 1 + w > width {
            out.push('\n');
            out.push_str(rest);
            col = display_width(rest);
            line_empty = true;
        }
        if !line_empty {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += w;
        line_empty = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_leave_escapes_out() {
        assert_eq!(display_width("\x1b[1;33mdebt\x1b[0m bondage"), 12);
        assert_eq!(display_width(&hyperlink("file:///a.pdf#page=2", "a.pdf")), 5);
        assert_eq!(display_width("¶9.14 …"), 7);
    }

    #[test]
    fn wraps_at_spaces_only() {
        assert_eq!(wrap("aaa bbb ccc", Some(9), "  ", "    "), "  aaa bbb\n    ccc");
        assert_eq!(wrap("aaa bbb", None, "> ", "  "), "> aaa bbb");
        assert_eq!(wrap("a verylongwordindeed b", Some(6), "", ""), "a\nverylongwordindeed\nb");
        assert_eq!(wrap("\x1b[1mdebt\x1b[0m bondage", Some(12), "", ""), "\x1b[1mdebt\x1b[0m bondage");
    }
}
