using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NotebookKit.Models;

/// <summary>A weights file that exists but cannot be read as a state dict; the message names it and says why.</summary>
public sealed class WeightsFormatException(string message, Exception? inner = null) : KitException(message, inner);
