using NotebookKit.Data;
using NotebookKit.Runtime;
using TorchSharp;

namespace NotebookKit.Tests.Data;

/// <summary>A batch's host memory and its way to a device, run on the CPU as the device (the receipt arrives at once there).</summary>
public class BatchMemoryTests
{
    [Fact]
    public void Copies_to_a_device_take_the_first_images_and_labels_and_a_receipt_frees_the_memory()
    {
        TorchRuntime.Require();
        using var memory = new BatchMemory(batchSize: 3, size: 2, pinned: false, receipts: true);
        for (int i = 0; i < 3; i++) memory.Image(i).Fill(i + 0.5f);
        new long[] { 7, 8, 9 }.CopyTo(memory.AllLabels());
        Assert.True(memory.CopiesDone);

        var (images, labels) = memory.CopyTo(torch.CPU, count: 2);
        using (images)
        using (labels)
        {
            Assert.True(memory.CopiesDone); // a CPU copy has run when CopyTo returns
            memory.WaitForCopies();
            memory.AllImages().Fill(-1f); // the memory is free again: the copies keep their values
            memory.AllLabels().Fill(-1L);

            Assert.Equal([2, 3, 2, 2], images.shape);
            Assert.Equal(Enumerable.Repeat(0.5f, 12).Concat(Enumerable.Repeat(1.5f, 12)), images.data<float>().ToArray());
            Assert.Equal([7L, 8L], labels.data<long>().ToArray());
        }
    }

    [Fact]
    public void Memory_without_receipts_is_free_once_its_batch_is_disposed()
    {
        TorchRuntime.Require();
        using var memory = new BatchMemory(batchSize: 2, size: 2, pinned: false, receipts: false);

        var (images, labels) = memory.CopyTo(torch.CPU, count: 0);
        images.Dispose();
        labels.Dispose();

        Assert.True(memory.CopiesDone);
        memory.WaitForCopies();
    }
}
