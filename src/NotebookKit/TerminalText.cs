using System.Globalization;
using System.Text;

namespace NotebookKit;

/// <summary>
/// Text from outside (class and file names, a downloaded dataset's paths, messages that quote them) made safe to print
/// on a terminal: control characters (ESC, BEL, backspace, carriage return, C1 controls, DEL) and the invisible
/// formatting characters that reorder or hide text (bidirectional overrides, zero-width marks) are shown as escapes
/// (<c>\e</c>, <c>\a</c>, <c>\x08</c>, <c>\u202e</c>), so a name cannot drive the terminal, rewrite a line or split a
/// table row. The HTML pages escape the same text as HTML.
/// </summary>
public static class TerminalText
{
    /// <summary>
    /// <paramref name="text"/> with every control and invisible formatting character escaped. With
    /// <paramref name="keepNewlines"/>, line feeds (and tabs) stay, for messages of several lines; a name never needs that.
    /// </summary>
    public static string Escape(string? text, bool keepNewlines = false)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (!NeedsEscape(text, keepNewlines)) return text;
        var result = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!IsUnsafe(c, keepNewlines)) { result.Append(c); continue; }
            result.Append(c switch
            {
                '\u001b' => "\\e",
                '\a' => "\\a",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                '\f' => "\\f",
                '\v' => "\\v",
                '\0' => "\\0",
                < '\u0100' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }
        return result.ToString();
    }

    static bool NeedsEscape(string text, bool keepNewlines)
    {
        foreach (var c in text) if (IsUnsafe(c, keepNewlines)) return true;
        return false;
    }

    static bool IsUnsafe(char c, bool keepNewlines)
    {
        if (keepNewlines && c is '\n' or '\t') return false;
        if (char.IsControl(c)) return true; // C0, DEL, C1
        // Format characters (Cf) that change how a line reads: bidi embeddings/overrides/isolates, zero-width, BOM.
        return CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format || c is '\u2028' or '\u2029';
    }
}
