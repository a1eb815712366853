//! XML escaping shared by the checkstyle and JUnit reports.

/// `text` escaped for a double-quoted XML 1.0 attribute value.
///
/// `&`, `<`, `>` and `"` become entities; tab, line feed and carriage return become character
/// references, so attribute-value normalization keeps them; characters XML 1.0 cannot hold at
/// all (other C0 controls, U+FFFE, U+FFFF) become U+FFFD.
pub fn escape(text: &str) -> String {
    escape_with(text, true)
}

/// `text` escaped for element content: as [`escape`], but `"`, tabs and line feeds stay as they
/// are.
pub fn escape_text(text: &str) -> String {
    escape_with(text, false)
}

fn escape_with(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '\t' | '\n' if !attribute => out.push(c),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The XML declaration every report starts with.
pub const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

#[cfg(test)]
mod tests {
    use super::{escape, escape_text};

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            escape("a<b> & \"c\" 'd'\n\t\r\u{1}\u{7f}é"),
            "a&lt;b&gt; &amp; &quot;c&quot; 'd'&#10;&#9;&#13;\u{fffd}\u{7f}é"
        );
    }

    #[test]
    fn keeps_line_breaks_in_text() {
        assert_eq!(escape_text("a\n\t\"b\"\r<"), "a\n\t\"b\"&#13;&lt;");
    }
}
