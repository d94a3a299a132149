using System.Text.Json.Nodes;
using NotebookKit.Training;

namespace NotebookKit.Experiments;

/// <summary>
/// A trained strategy run as one JSON object of the <see cref="RunLog"/> and back: everything a report needs (history,
/// the full evaluation with every prediction, cost), so a resumed experiment writes the same report as an uninterrupted one.
/// </summary>
public static class RunRecords
{
    sealed record EvaluationRecord(double Loss, double Accuracy, double TopKAccuracy, int TopK, int Count, int[][] Confusion,
        IReadOnlyList<string> Classes, IReadOnlyList<ClassMetrics> PerClass, IReadOnlyList<WrongPrediction> Wrong, int[][] Predictions);

    sealed record StrategyRunRecord(string Strategy, int Seed, double Seconds, long TrainableParams, int TrainImages,
        IReadOnlyList<EpochRecord> History, double BestValAcc, int BestEpoch, bool StoppedEarly, EvaluationRecord Evaluation,
        bool FeatureCache = false);

    /// <summary>The record of <paramref name="run"/>.</summary>
    public static object Of(StrategyRun run)
    {
        var e = run.Evaluation;
        int n = e.Classes.Count;
        var evaluation = new EvaluationRecord(e.Loss, e.Accuracy, e.TopKAccuracy, e.TopK, e.Count,
            Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => e.Confusion[i, j]).ToArray()).ToArray(),
            e.Classes, e.PerClass, e.MostConfidentlyWrong, e.Predictions.Select(p => new[] { p.Index, p.Label, p.Predicted }).ToArray());
        return new StrategyRunRecord(run.Strategy.Name, run.Seed, run.Seconds, run.TrainableParameters, run.TrainImages, run.Result.History,
            run.Result.BestValidationAccuracy, run.Result.BestEpoch, run.Result.StoppedEarly, evaluation, run.UsedFeatureCache);
    }

    /// <summary>The run stored in <paramref name="record"/>, for <paramref name="strategy"/> (whose name it must carry).</summary>
    /// <exception cref="KitException">The record is not a run of that strategy, or is damaged.</exception>
    public static StrategyRun ToRun(JsonObject record, Strategy strategy)
    {
        StrategyRunRecord? r;
        try { r = KitJson.Deserialize<StrategyRunRecord>(record.ToJsonString()); }
        catch (System.Text.Json.JsonException error) { throw new KitException($"A run record in {RunLog.FileName} is damaged ({error.Message}); start afresh with another --out.", error); }
        if (r is null || r.Strategy != strategy.Name)
            throw new KitException($"A run record in {RunLog.FileName} is for '{r?.Strategy}', not '{strategy.Name}'; start afresh with another --out.");
        var e = r.Evaluation;
        int n = e.Classes.Count;
        var confusion = new int[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) confusion[i, j] = e.Confusion[i][j];
        var evaluation = new Evaluation(e.Loss, e.Accuracy, e.TopKAccuracy, e.TopK, confusion, e.Classes, e.PerClass, e.Wrong)
        {
            Count = e.Count,
            Predictions = e.Predictions.Select(p => new Prediction(p[0], p[1], p[2])).ToList(),
        };
        var result = new TrainResult(r.History, r.BestValAcc, r.BestEpoch, null, r.StoppedEarly, Cancelled: false);
        return new StrategyRun(strategy, r.Seed, result, evaluation, r.TrainableParams, r.Seconds, r.TrainImages) { UsedFeatureCache = r.FeatureCache };
    }
}
