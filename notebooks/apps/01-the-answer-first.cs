// Generated from notebooks/01-the-answer-first.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/01-the-answer-first.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Experiments;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 01 · Freeze or fine-tune? The answer first
//
// You take a network pretrained on ImageNet and adapt it to your images. Do you **freeze** the transferred layers and
// train only a new head (*feature extraction*), or let them **change** at a low learning rate (*fine-tuning*)? This
// notebook gives the answer a real run measured on the course's data, runs the same measurement on your machine in a few
// minutes, and says what the papers and tutorials behind the question actually found. The rest of the course takes each
// piece apart.
//
// In this notebook you will learn:
// - what the comparison measured on the course's data, with its uncertainty,
// - how to run it yourself in one call, and how to read the verdict,
// - what Yosinski et al. (2014), Keras, fastai and PyTorch actually recommend (the section the course refers back to).
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`). Uncomment the second line to switch
// smoke mode on here; the last line says whether it is on.
AppOutput.Show(// SmokeMode.Enabled = true;   // tiny runs that only check that everything works
SmokeMode.Notice, "01-the-answer-first-cell1");

// ## What a real run measured
//
// `nbkit compare --preset default` on the course's data: the balanced Fashion-MNIST subset that ships with the kit (1,000
// training and 500 validation images in ten classes of clothes and shoes: 28x28 grayscale product photos, far from
// ImageNet's colour photos), the offline ImageNet ResNet-18 ([2, 2, 2, 3] blocks) at 64 px, 4 epochs per strategy with the
// same budget, 3 seeds. Measured on 2026-11-28 on a 2-core AMD EPYC virtual machine (one torch thread; the other core was
// running a soak test), 634 s for the whole run.
//
// | strategy | final validation accuracy, mean of 3 seeds (95% CI) | trainable parameters | time per run |
// | --- | --- | --- | --- |
// | `frozen`: feature extraction | 82.0 % [81.0, 83.0] | 5,130 | 13 s |
// | `finetune`: fastai's two phases | 84.0 % [81.0, 87.0] | 15.9 M | 92 s |
// | `scratch`: random weights | 79.5 % [78.3, 80.6] | 15.9 M | 106 s |
//
// The verdict, computed from the paired differences (same seeds, same images):
// "On this data there is no detectable difference between fine-tuning and feature extraction: fine-tuning − feature
// extraction = +2.0 points (95% CI [-0.3, +4.3], paired t p = 0.063). The cheaper, feature extraction, is the practical
// choice (fine-tuning took 7.2 times as long as feature extraction). Pretrained (fine-tuning) against training from
// scratch: +4.5 points (95% CI [+2.0, +7.1], paired t p = 0.017): the pretrained weights help." With three seeds, a
// 2-point gain is within the noise; the interval says how large a gain the data can still hide (up to 4.3 points).
//
// How the answer moves with the amount of data (`nbkit study --preset default`: 5, 20 and 100 training images per class,
// 3 seeds, the same 500 validation images): "Within the sizes tried (5, 20, 100 images per class), fine-tuning never beats
// feature extraction with a 95% interval that excludes 0 on this data (at 100/class: +2.0 points (95% CI [-0.3, +4.3],
// paired t p = 0.063))." Fine-tuning − feature extraction was -0.7 points [-8.8, +7.3] at 5 per class, +3.9 [-0.6, +8.3]
// at 20 and +2.0 [-0.3, +4.3] at 100: leaning towards fine-tuning as the data grows, but within the noise of three seeds.
// `06-freeze-or-fine-tune` draws that study and the rest of the evidence.
// ## Run it yourself
//
// The same comparison for the two strategies that answer the question, with one seed so that it finishes in a couple of
// minutes on a laptop CPU (well under a minute in smoke mode). Both get the same split, the same number of optimiser
// steps and the same seed. A live chart follows each while it trains; then the table gives each accuracy with its 95%
// interval, the paired comparison, and the verdict in words.
var preset = SmokeMode.Preset() with { Strategies = "frozen,finetune", Seeds = 1 };
var comparison = Comparer.Run(preset, note: "01-the-answer-first");
AppOutput.Show(comparison, "01-the-answer-first-cell2");

// The two accuracies with their 95% intervals. With one seed the interval is Wilson's over the validation images: it
// covers the luck of which images were drawn for validation, not the luck of the seed (three seeds do that). Overlapping
// bars do not settle the question either way; the paired test above, on the same images, does.
AppOutput.Show(ComparisonCharts.AccuracyBars(comparison), "01-the-answer-first-cell3");

// ## What the papers and tutorials actually say
//
// This is the section the rest of the course refers to.
//
// - **Yosinski et al. (2014), section 1, state the rule.** If the target dataset is small and the number of parameters
//   large, fine-tuning may overfit, so the transferred features are often left frozen; if the target dataset is large, or
//   the parameters few, they can be fine-tuned to improve performance. (With a very large target dataset there is little
//   need to transfer at all.)
// - **What Yosinski et al. measured (section 4) is not "fine-tuning beats freezing".** They split ImageNet's 1,000 classes
//   into halves A and B of about 645,000 images each, so their target task was large. Their fine-tuned networks (AnB+)
//   trained the copied layers at the same learning rate as the rest, and their gain was over a network trained from
//   scratch on B (small, and it lasted through fine-tuning), not over frozen features. Frozen copies (AnB) lost accuracy
//   once more than the first couple of layers were copied: in the middle layers from fragile co-adaptation, in the top
//   layers because the features were specific to A. `08-how-transferable-are-features` reruns that experiment.
// - **Keras's guide "Transfer learning & fine-tuning"** freezes first: train a new head on the frozen base model, then
//   optionally unfreeze and train end to end "with a very low learning rate" (1e-5 in its example), warning that this step
//   can overfit quickly.
// - **fastai's `fine_tune`** does the same in one call: `freeze_epochs=1` epoch with the body frozen, then everything
//   unfrozen at half the rate, with discriminative rates (the first layers 100 times slower than the last).
// - **PyTorch's "Finetuning Torchvision Models" tutorial** offers both as one switch: feature extraction (only the new
//   layer's weights update) or finetuning (all of them).
//
// So the tutorials and the paper do not disagree: the common recipe is *freeze first, then unfreeze at a low rate*, and
// whether the second step pays depends mostly on how much data you have. The other factor is distance from ImageNet:
// Yosinski et al. found transferability falls as the base and target tasks grow apart (though distant features still beat
// random ones), and Kornblith et al. (2019) found that on two small fine-grained datasets ImageNet pretraining gave
// minimal benefit. Both are questions for a measurement on your data, which is what the kit makes.
//
// ## Exercises
// 1. **Predict, then run.** Set `TrainPerClass = 5` in the preset's settings
//    (`preset with { Settings = preset.Settings with { TrainPerClass = 5 } }`). Which strategy wins with five images per
//    class, and why?
//    <details><summary>Hint</summary>Yosinski et al.'s rule above: many parameters, very little data. Read the interval,
//    not just the means: with 50 training images the difference may not be detectable at all.</details>
// 2. **What do the pretrained weights buy?** Add `scratch` to the strategies and run again.
//    <details><summary>Hint</summary><code>Strategies = "scratch,frozen,finetune"</code>; the verdict then also compares
//    the best pretrained strategy with training from scratch.</details>
// 3. **Seeds.** Run with `Seeds = 3`. Which interval changes, and what does it now cover?
//    <details><summary>Answer</summary>With several seeds the interval is Student's t over the seeds' accuracies (the
//    luck of initialisation and data order), and the paired test is a paired t-test on the per-seed differences.</details>
//
// ## What we learned
// - On the course's data a real run measured the answer above; `Comparer.Run` measures it on any data in one call.
// - A difference counts only when its 95% interval excludes zero; otherwise the cheaper strategy is the practical choice.
// - "Freeze or fine-tune" is not a contest between tutorials and a paper: freeze first, then measure whether unfreezing
//   at a low rate pays on your data.
//
// ## See also
// - Yosinski, Clune, Bengio, Lipson, *How transferable are features in deep neural networks?* NeurIPS 2014 (sections 1
//   and 4).
// - Keras, *Transfer learning & fine-tuning* (keras.io/guides/transfer_learning); fastai's `fine_tune`
//   (docs.fast.ai, `callback.schedule`); PyTorch, *Finetuning Torchvision Models*.
// - Kornblith, Shlens, Le, *Do Better ImageNet Models Transfer Better?* CVPR 2019.
// - `02-your-data`, the next step; `06-freeze-or-fine-tune` for the full evidence.
