using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace NotebookKit.Cli.Commands;

/// <summary>
/// Numeric options checked while the command line is parsed, against the library's <see cref="Ranges"/>: a value that is
/// not a number, or is outside its range, is refused before anything runs, in one line that names the option, the value
/// and the range (<c>--epochs 0: expected a whole number from 1 to 10000 (epochs per run).</c>), exit code 2.
/// </summary>
static class NumberOptions
{
    /// <summary>Accepts only whole numbers in <paramref name="range"/>.</summary>
    public static Option<int> Within(this Option<int> option, NumberRange range)
    {
        option.CustomParser = result => Whole(result, option.Name, range) ?? default;
        return option;
    }

    /// <inheritdoc cref="Within(Option{int}, NumberRange)"/>
    public static Option<int?> Within(this Option<int?> option, NumberRange range)
    {
        option.CustomParser = result => Whole(result, option.Name, range);
        return option;
    }

    /// <summary>Accepts only finite numbers in <paramref name="range"/>.</summary>
    public static Option<double> Within(this Option<double> option, NumberRange range)
    {
        option.CustomParser = result => Real(result, option.Name, range) ?? default;
        return option;
    }

    /// <inheritdoc cref="Within(Option{double}, NumberRange)"/>
    public static Option<double?> Within(this Option<double?> option, NumberRange range)
    {
        option.CustomParser = result => Real(result, option.Name, range);
        return option;
    }

    static int? Whole(ArgumentResult result, string name, NumberRange range)
    {
        var text = Text(result);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && range.Accepts(value)) return value;
        result.AddError(range.Refusal(name, text));
        return null;
    }

    static double? Real(ArgumentResult result, string name, NumberRange range)
    {
        var text = Text(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && range.Accepts(value)) return value;
        result.AddError(range.Refusal(name, text));
        return null;
    }

    static string Text(ArgumentResult result) => string.Join(" ", result.Tokens.Select(t => t.Value));

    /// <summary>Refuses, after binding, a batch of images that would not fit in memory (<see cref="Ranges.InputBatch"/>).</summary>
    public static void CheckInputBatch(int batchSize, int imageSize, string batchOption = "--batch-size", string sizeOption = "--image-size")
    {
        if (Ranges.InputBatch(batchSize, imageSize, batchOption, sizeOption) is { } refusal) throw new ArgumentException(refusal);
    }
}
