namespace NotebookKit.Data;

/// <summary>A dataset that cannot be opened at all (missing, empty, unreadable listing); the message says how to fix it.</summary>
public sealed class DatasetException(string message) : KitException(message);
