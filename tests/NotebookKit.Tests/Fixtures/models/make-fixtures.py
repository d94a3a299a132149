"""PyTorch reference outputs for the kit's ResNet equivalence tests.

Run: tests/reference/peer.sh tests/NotebookKit.Tests/Fixtures/models/make-fixtures.py
(PyTorch 1.13 / torchvision 0.14 from the shared pytorch-peer.)

1. resnet50-stem-layer1.pth: torch.save'd state_dict of torchvision resnet50's conv1, bn1 and layer1 (random
   weights, non-trivial BatchNorm statistics): exercises loading a real PyTorch checkpoint (PyBridge) and the
   stem and bottleneck blocks. Expected: the eval-mode layer1 output, average-pooled, for a fixed input.
2. formula-logits.json: full resnet18, resnet50 and the [2,2,2,3] BasicBlock variant, with every parameter
   and buffer filled by the closed formula in `fill()` (the C# test uses the same formula), and their
   eval-mode logits for a formula input. This checks every layer of the architectures without committing
   100 MB checkpoints.
"""
import json, math, os
import torch
import torchvision
from torchvision.models.resnet import ResNet, BasicBlock

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)


def formula_input(shape):
    n = 1
    for d in shape: n *= d
    i = torch.arange(n, dtype=torch.float64)
    return torch.sin(i * 0.013 + 0.5).mul(1.5).float().reshape(shape)


def name_seed(name):
    """A number from the key's characters, so values do not depend on state-dict order."""
    return sum((i + 1) * ord(c) for i, c in enumerate(name)) % 997


def fill(name, tensor):
    """Deterministic values for one state-dict entry."""
    index = name_seed(name)
    n = tensor.numel()
    i = torch.arange(n, dtype=torch.float64)
    s = torch.sin(i * 0.7 + index * 1.3)
    if name.endswith("running_var"):
        v = 1.0 + 0.5 * s * s
    elif name.endswith("running_mean"):
        v = 0.1 * s
    elif name.endswith("num_batches_tracked"):
        return torch.tensor(0)
    elif tensor.dim() == 1 and name.endswith("weight"):  # BN gamma
        v = 1.0 + 0.1 * s
    elif name.endswith("bias"):
        v = 0.05 * torch.cos(i * 0.3 + index)
    else:  # conv / linear weight: He-like scale
        fan_in = n // tensor.shape[0]
        v = s * math.sqrt(2.0 / fan_in) * math.sqrt(2.0) * 0.5
    return v.reshape(tensor.shape).to(tensor.dtype)


def filled(model):
    state = model.state_dict()
    for name, tensor in state.items():
        state[name] = fill(name, tensor)
    model.load_state_dict(state)
    return model.eval()


# 1. a real checkpoint of part of resnet50
model = torchvision.models.resnet50()
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.2, 0.2)
model.eval()
part = {k: v for k, v in model.state_dict().items() if k.startswith(("conv1.", "bn1.", "layer1."))}
torch.save(part, os.path.join(here, "resnet50-stem-layer1.pth"))
x = formula_input((2, 3, 64, 64))
with torch.no_grad():
    y = model.layer1(model.maxpool(model.relu(model.bn1(model.conv1(x)))))
pooled = y.mean(dim=(2, 3))
json.dump({"input_shape": [2, 3, 64, 64], "output_shape": list(y.shape), "pooled": pooled.tolist(),
           "keys": len(part)}, open(os.path.join(here, "resnet50-stem-layer1.json"), "w"))

# 2. whole architectures from the formula
out = {"torch": torch.__version__, "torchvision": torchvision.__version__, "input_shape": [2, 3, 64, 64], "models": {}}
variants = {
    "resnet18": lambda: torchvision.models.resnet18(num_classes=10),
    "resnet50": lambda: torchvision.models.resnet50(num_classes=10),
    "resnet18-2223": lambda: ResNet(BasicBlock, [2, 2, 2, 3], num_classes=10),
}
for name, make in variants.items():
    m = filled(make())
    with torch.no_grad():
        logits = m(formula_input((2, 3, 64, 64)))
    out["models"][name] = {"logits": logits.tolist(), "state_dict_keys": len(m.state_dict())}
    print(name, logits.abs().mean().item(), logits[0, :4].tolist())
json.dump(out, open(os.path.join(here, "formula-logits.json"), "w"))

# 3. ImageNet category names, in index order (for predictions)
from torchvision.models._meta import _IMAGENET_CATEGORIES
open(os.path.join(here, "..", "..", "..", "..", "src", "NotebookKit", "Models", "imagenet-categories.txt"), "w").write("\n".join(_IMAGENET_CATEGORIES) + "\n")

# 4. predict end to end: a 256x256 PNG, torchvision's eval transform, resnet50 with the formula weights.
from PIL import Image
import numpy as np
from torchvision import transforms
yy, xx = np.mgrid[0:256, 0:256]
pixels = np.stack([(xx * 255 // 255), (yy * 255 // 255), ((xx + yy) * 127 // 255)], axis=-1).astype(np.uint8)
Image.fromarray(pixels, "RGB").save(os.path.join(here, "gradient-256.png"))
image = Image.open(os.path.join(here, "gradient-256.png")).convert("RGB")
tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
model = filled(torchvision.models.resnet50())
with torch.no_grad():
    logits = model(tf(image).unsqueeze(0))[0]
json.dump({"image": "gradient-256.png", "logits": logits.tolist(), "top5": logits.topk(5).indices.tolist()},
          open(os.path.join(here, "predict-resnet50-formula.json"), "w"))
print("predict top5", logits.topk(5).indices.tolist())
