# Reference for KitBatchNorm2d: PyTorch's BatchNorm2d on formula inputs (no randomness), written as JSON.
import json, math, torch
torch.set_num_threads(1)
def formula(shape, a, b):
    n = 1
    for s in shape: n *= s
    return torch.tensor([math.sin(i * a + b) for i in range(n)], dtype=torch.float32).reshape(shape)
x = formula((4, 3, 5, 5), 0.37, 0.1) * 2 + 0.5
bn = torch.nn.BatchNorm2d(3)
with torch.no_grad():
    bn.weight.copy_(torch.tensor([1.0, 1.1, 0.9]))
    bn.bias.copy_(torch.tensor([0.0, 0.05, -0.05]))
bn.train()
y_train = bn(x)
y_train2 = bn(x * 0.5)
bn.eval()
y_eval = bn(x)
out = {
  "source": "PyTorch %s, torch.nn.BatchNorm2d(3), two training forwards then one eval forward (make-batchnorm.py)" % torch.__version__,
  "train_output_sum": float(y_train.double().sum()), "train_output_sq": float((y_train.double()**2).sum()),
  "train_output_first": [float(v) for v in y_train.flatten()[:8]],
  "running_mean": [float(v) for v in bn.running_mean], "running_var": [float(v) for v in bn.running_var],
  "num_batches_tracked": int(bn.num_batches_tracked),
  "eval_output_first": [float(v) for v in y_eval.flatten()[:8]], "eval_output_sum": float(y_eval.double().sum()),
}
print(json.dumps(out, indent=1))
