"""LeNet-5 (LeCun et al., 1998), with ReLU and max pooling as commonly trained today."""
from __future__ import annotations

from .. import nn


class LeNet5(nn.Module):
    """Two conv/pool stages and three fully connected layers.

    Input (N, in_channels, 28, 28) (the first conv pads by 2, giving LeNet's 32x32 geometry);
    output (N, num_classes) logits. ``activation='tanh'`` restores the original nonlinearity.
    About 61.7k parameters for 10 classes.
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 1, activation: str = "relu"):
        super().__init__()
        act = nn.ReLU if activation == "relu" else nn.Tanh
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, 5, padding=2), act(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), act(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(16 * 5 * 5, 120), act(), nn.Linear(120, 84), act(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))
