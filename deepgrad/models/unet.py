"""U-Net (Ronneberger et al., 2015) for segmentation: an encoder-decoder with skip links."""
from __future__ import annotations

from .. import nn
from ..ops.movement import cat


class DoubleConv(nn.Module):
    """(3x3 conv -> BN -> ReLU) twice."""

    def __init__(self, in_ch: int, out_ch: int, mid_ch: int | None = None):
        super().__init__()
        mid_ch = mid_ch or out_ch
        self.block = nn.Sequential(
            nn.Conv2d(in_ch, mid_ch, 3, padding=1, bias=False), nn.BatchNorm2d(mid_ch),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_ch, out_ch, 3, padding=1, bias=False), nn.BatchNorm2d(out_ch),
            nn.ReLU(inplace=True))

    def forward(self, x):
        return self.block(x)


class Up(nn.Module):
    """Upsample (bilinear or transposed conv), concatenate the skip, DoubleConv."""

    def __init__(self, in_ch: int, out_ch: int, bilinear: bool = True):
        super().__init__()
        if bilinear:
            self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
            self.conv = DoubleConv(in_ch, out_ch, in_ch // 2)
        else:
            self.up = nn.ConvTranspose2d(in_ch, in_ch // 2, 2, stride=2)
            self.conv = DoubleConv(in_ch, out_ch)

    def forward(self, x, skip):
        x = self.up(x)
        dh, dw = skip.shape[2] - x.shape[2], skip.shape[3] - x.shape[3]
        if dh or dw:  # odd sizes: pad the upsampled map to the skip's size
            x = nn.functional.pad(x, [dw // 2, dw - dw // 2, dh // 2, dh - dh // 2])
        return self.conv(cat([skip, x], 1))


class UNet(nn.Module):
    """``UNet(in_channels=1, num_classes=2, depth=4, base_channels=64, bilinear=True)``.

    ``depth`` down/up stages; channels double per stage from ``base_channels``. Input
    (N, in_channels, H, W) (any H, W); output (N, num_classes, H, W) logits.
    """

    def __init__(self, in_channels: int = 1, num_classes: int = 2, depth: int = 4,
                 base_channels: int = 64, bilinear: bool = True):
        super().__init__()
        if depth < 1:
            raise ValueError("depth must be at least 1")
        chans = [base_channels * 2 ** i for i in range(depth + 1)]
        factor = 2 if bilinear else 1
        self.inc = DoubleConv(in_channels, chans[0])
        self.downs = nn.ModuleList()
        for i in range(depth):
            out = chans[i + 1] // factor if i == depth - 1 else chans[i + 1]
            self.downs.append(nn.Sequential(nn.MaxPool2d(2), DoubleConv(chans[i], out)))
        self.ups = nn.ModuleList()
        for i in range(depth, 0, -1):
            out = chans[i - 1] // factor if i > 1 else chans[i - 1]
            self.ups.append(Up(chans[i], out, bilinear))
        self.outc = nn.Conv2d(chans[0], num_classes, 1)

    def forward(self, x):
        skips = [self.inc(x)]
        for down in self.downs:
            skips.append(down(skips[-1]))
        x = skips.pop()
        for up in self.ups:
            x = up(x, skips.pop())
        return self.outc(x)
