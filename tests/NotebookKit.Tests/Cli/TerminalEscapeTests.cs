using System.Text.Json;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

/// <summary>
/// Issue 30, item 8: a downloaded dataset's class and file names can hold ESC, BEL or other control characters; printed
/// raw, they drive the terminal (colours, titles, cursor moves) or split a table row. The terminal shows them escaped,
/// as the HTML pages already do; JSON keeps the names exactly (it is escaped by its own rules).
/// </summary>
public class TerminalEscapeTests : IDisposable
{
    readonly TempDir temp = new();
    string P(params string[] parts) => Path.Combine([temp.Path, .. parts]);
    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("plain name", "plain name")]
    [InlineData("caf\u00e9 \u4e2d\u6587 \U0001F431", "caf\u00e9 \u4e2d\u6587 \U0001F431")]             // ordinary Unicode stays
    [InlineData("red\u001b[31mtext", "red\\e[31mtext")]                                           // ESC (colours, cursor moves)
    [InlineData("bell\u0007", "bell\\a")]
    [InlineData("title\u001b]0;pwned\u0007", "title\\e]0;pwned\\a")]                              // OSC: sets the window title
    [InlineData("two\nlines\r\tx", "two\\nlines\\r\\tx")]
    [InlineData("del\u007f c1\u009b", "del\\x7f c1\\x9b")]                                       // DEL and the 8-bit CSI
    [InlineData("abc\u202edcba", "abc\\u202edcba")]                                               // right-to-left override
    [InlineData("zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff")]
    public void Control_and_invisible_formatting_characters_are_shown_as_escapes(string name, string shown)
    {
        Assert.Equal(shown, TerminalText.Escape(name));
    }

    [Fact]
    public void Messages_may_keep_their_line_breaks_but_not_their_escapes()
    {
        Assert.Equal("line 1\nline 2 \\e[2J", TerminalText.Escape("line 1\nline 2 \u001b[2J", keepNewlines: true));
    }

    [Fact]
    public void Data_inspect_shows_hostile_class_and_file_names_escaped_and_one_row_each()
    {
        string[] classes = ["evil\u001b[31mred", "new\nline"];
        foreach (var c in classes)
            for (int i = 0; i < 2; i++) TestImages.Png(P("data", c, $"{i}.png"));
        File.WriteAllBytes(P("data", classes[0], "bell\u0007.png"), []); // a bad file: its name appears in the problems table

        var text = BuildOutputs.RunCliIn(P("home"), ["data", "inspect", P("data")], TimeSpan.FromSeconds(60));
        var json = BuildOutputs.RunCliIn(P("home"), ["data", "inspect", P("data"), "--json"], TimeSpan.FromSeconds(60));

        Assert.True(text.ExitCode == 0, text.Tail());
        var all = text.StandardOutput + text.StandardError;
        Assert.DoesNotContain('\u001b', all);
        Assert.DoesNotContain('\u0007', all);
        Assert.Contains("evil\\e[31mred", all);
        Assert.Contains("new\\nline", all);
        Assert.Contains("bell\\a.png", all);
        Assert.Single(text.StandardOutput.Split('\n'), l => l.Contains("new\\nline")); // one table row, not two
        using var parsed = JsonDocument.Parse(json.StandardOutput);
        Assert.Equal(classes.Order(StringComparer.Ordinal), parsed.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }
}
