using NotebookKit.Data;
using NotebookKit.Models;

namespace NotebookKit.Training;

/// <summary>What a recipe needs: the model (already pretrained or random), the data, the budget and the optimiser settings.</summary>
/// <param name="Model">The model, its head sized for the task.</param>
/// <param name="Train">Training batches (augmented or not).</param>
/// <param name="Validation">Validation batches.</param>
/// <param name="Options">Epochs, learning rate, schedule, seed, observer… shared by every recipe for a fair comparison.</param>
/// <param name="FeatureCache">For <see cref="TrainingRecipes.FeatureExtraction"/>: cached backbone features to train the head on (optional).</param>
/// <param name="BatchNorm">What BatchNorm does in frozen stages.</param>
public sealed record RecipeInput(ResNetModel Model, IBatchSource Train, IBatchSource? Validation, TrainOptions Options,
    (FeatureCache Train, FeatureCache? Validation)? FeatureCache = null, BatchNormPolicy BatchNorm = BatchNormPolicy.FrozenStatistics);
