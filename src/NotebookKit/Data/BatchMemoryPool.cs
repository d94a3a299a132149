namespace NotebookKit.Data;

/// <summary>
/// A loader's batch memories, reused from batch to batch and epoch to epoch. A memory comes back when the consumer
/// disposes its batch (or, on a device, once its copy is issued); none is handed out again while a batch still uses it
/// or the GPU may still read it. At most <paramref name="keep"/> idle memories are kept; more are freed.
/// </summary>
sealed class BatchMemoryPool(int batchSize, int size, bool pinned, bool receipts, int keep) : IDisposable
{
    readonly Lock gate = new();
    readonly Queue<BatchMemory> idle = new();
    bool disposed;

    /// <summary>An idle memory (the longest idle first), or a new one.</summary>
    public BatchMemory Rent()
    {
        BatchMemory? memory;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, typeof(DataLoader));
            idle.TryDequeue(out memory);
        }
        if (memory is null) return new BatchMemory(batchSize, size, pinned, receipts);
        memory.WaitForCopies();
        return memory;
    }

    /// <summary>Takes a memory back (thread-safe); frees it when the pool is full or disposed.</summary>
    public void Return(BatchMemory memory)
    {
        lock (gate)
        {
            if (!disposed && idle.Count < keep)
            {
                idle.Enqueue(memory);
                return;
            }
        }
        memory.Dispose();
    }

    /// <summary>Frees the idle memories; those still in use are freed when they come back.</summary>
    public void Dispose()
    {
        List<BatchMemory> free;
        lock (gate)
        {
            disposed = true;
            free = [.. idle];
            idle.Clear();
        }
        foreach (var memory in free) memory.Dispose();
    }
}
