"""A VGG-style CNN: stages of (conv3x3-BN-ReLU) x 2 followed by 2x2 max pooling."""
from __future__ import annotations

from .. import nn


def conv_bn_relu(in_ch: int, out_ch: int) -> nn.Sequential:
    """3x3 conv (no bias: BN follows), BatchNorm, ReLU."""
    return nn.Sequential(nn.Conv2d(in_ch, out_ch, 3, padding=1, bias=False),
                         nn.BatchNorm2d(out_ch), nn.ReLU(inplace=True))


class SimpleCNN(nn.Module):
    """VGG-style classifier: ``widths`` stages, each two conv-BN-ReLU blocks and a max pool,
    then global average pooling, dropout and a linear head.

    Input (N, in_channels, H, W) with H, W divisible by 2**len(widths); output (N, num_classes).
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 1, widths=(32, 64, 128),
                 dropout: float = 0.3):
        super().__init__()
        layers, ch = [], in_channels
        for w in widths:
            layers += [conv_bn_relu(ch, w), conv_bn_relu(w, w), nn.MaxPool2d(2)]
            ch = w
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(dropout),
                                        nn.Linear(ch, num_classes))

    def forward(self, x):
        return self.classifier(self.pool(self.features(x)))
