namespace NotebookKit.Cli;

/// <summary>
/// Text from outside (class and file names, paths, messages that quote them) made safe for the terminal: control and
/// invisible formatting characters escaped (<see cref="TerminalText"/>), then Spectre's markup brackets.
/// </summary>
static class Term
{
    /// <summary>For Spectre markup: a name or message with control characters and markup escaped.</summary>
    public static string Escape(string? text) => Spectre.Console.Markup.Escape(TerminalText.Escape(text));

    /// <summary>For plain writes (standard error): control characters escaped, line breaks kept.</summary>
    public static string Plain(string? text) => TerminalText.Escape(text, keepNewlines: true);
}
