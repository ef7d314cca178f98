"""Whether a spot that looks like a template is it, or a look-alike: the same button in
another colour, the same label in another font or one letter off, the same icon with one
part changed. `locate` asks this of the spots that score above its threshold, best first.

The grey correlation of the whole says "it looks like it"; a look-alike passes that. So the
spot is aligned on the template to the sub-pixel (OpenCV's ECC), both at the lower of their
resolutions, and compared as a capture changes a screen: brightness and contrast (a gain
and an offset, fitted on the two), blur, grain and JPEG, which keeps fine grey detail but
only coarse colour (chroma at half resolution, quantised in 16 px blocks). What a
look-alike changes shows above that: a stroke, a letter, a fill or ink of another hue.
"""

from __future__ import annotations

import cv2
import numpy as np

GRADIENT_MIN = 0.95  # correlation of the aligned edge maps, as a whole
CELL_MIN = 0.90  # the same in the worst cell that holds a fair share of the template's edges
MAX_RESIDUAL = 0.20  # largest local grey difference, as a share of the template's grey range
# A template captured on a device of another density was rendered differently (hinting,
# rounding): every glyph differs a little, so the same measures ask for "close" there.
CROSS_DENSITY = (0.93, 0.80, 0.40)
MAX_CHROMA_SHIFT = 1.0  # the largest chroma difference, as a share of its tolerance
MAX_INK_SHIFT = 0.8  # the same for the mean colour of the template's ink
_FAINT_CELL = 0.2  # a cell with less edge than this share of the strongest is not judged
_ECC = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 50, 1e-4)


def grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image


def _same_size(patch: np.ndarray, template: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both at the smaller of their two sizes (upscaling adds nothing but noise)."""
    if patch.shape[0] * patch.shape[1] > template.shape[0] * template.shape[1]:
        patch = cv2.resize(patch, template.shape[1::-1], interpolation=cv2.INTER_AREA)
    return patch, cv2.resize(template, patch.shape[1::-1], interpolation=cv2.INTER_AREA)


def _aligned(patch: np.ndarray, template: np.ndarray) -> np.ndarray:
    """`patch` warped (affine, sub-pixel) onto `template`; as it is if ECC cannot."""
    warp = np.eye(2, 3, dtype=np.float32)
    try:
        cv2.findTransformECC(
            grey(template).astype(np.float32),
            grey(patch).astype(np.float32),
            warp,
            cv2.MOTION_AFFINE,
            _ECC,
            None,
            3,
        )
    except cv2.error:
        return patch
    flags = cv2.INTER_LINEAR + cv2.WARP_INVERSE_MAP
    return cv2.warpAffine(
        patch, warp, patch.shape[1::-1], flags=flags, borderMode=cv2.BORDER_REPLICATE
    )


def _edges(grey: np.ndarray) -> np.ndarray:
    """Edge strength after local contrast normalisation: white text on red and on grey
    give the same edges (colour is judged on its own), a stroke more or less does not."""
    image = grey.astype(np.float32)
    window = max(2.0, min(image.shape) / 4)
    centred = image - cv2.GaussianBlur(image, (0, 0), window)
    spread = np.sqrt(cv2.GaussianBlur(centred * centred, (0, 0), window)) + 8.0
    smooth = cv2.GaussianBlur(centred / spread, (0, 0), 1.5)
    return cv2.magnitude(cv2.Sobel(smooth, cv2.CV_32F, 1, 0), cv2.Sobel(smooth, cv2.CV_32F, 0, 1))


def _trimmed(image: np.ndarray) -> np.ndarray:
    """Without the crop's own border, the least certain part (a line cut at the edge, a
    pixel of the neighbour, JPEG blocks shared with what lies outside)."""
    trim = max(1, round(0.06 * min(image.shape[:2])))
    return image[trim:-trim, trim:-trim]


def edge_scores(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(whole, worst cell) correlation of the edge maps of two same-size images, `b` the
    template. A cell with no edge on the template but some on the screen counts 0; blank
    ones are left out, and so are faint ones (an isoluminant ring, a pale dot: JPEG and
    grain take them apart, and the contrast normalisation would make them count fully)."""
    grey_b = cv2.GaussianBlur(grey(b).astype(np.float32), (0, 0), 1.5)
    raw = _trimmed(
        cv2.magnitude(cv2.Sobel(grey_b, cv2.CV_32F, 1, 0), cv2.Sobel(grey_b, cv2.CV_32F, 0, 1))
    )
    ea, eb = _trimmed(_edges(grey(a))), _trimmed(_edges(grey(b)))
    whole = float(cv2.matchTemplate(ea, eb, cv2.TM_CCOEFF_NORMED)[0, 0])
    height, width = ea.shape
    cols = 2 * max(1, round(width / height))
    rows = 2 * max(1, round(height / width))
    cells = [
        (slice(i * height // rows, (i + 1) * height // rows),
         slice(j * width // cols, (j + 1) * width // cols))
        for i in range(rows)
        for j in range(cols)
    ]  # fmt: skip
    strength = [float(raw[cell].mean()) for cell in cells]
    strongest = max(strength) + 1e-6
    texture_a, texture_b = 0.3 * float(ea.std()), 0.2 * float(eb.std())
    worst = 1.0
    for cell, edge in zip(cells, strength, strict=True):
        pa, pb = ea[cell], eb[cell]
        if min(pa.shape) < 2:
            continue
        if pb.std() < texture_b:
            if pa.std() > max(texture_a, 4.0):
                worst = 0.0
            continue
        if edge >= _FAINT_CELL * strongest:
            worst = min(worst, float(cv2.matchTemplate(pa, pb, cv2.TM_CCOEFF_NORMED)[0, 0]))
    return whole, worst


def _light(ga: np.ndarray, gb: np.ndarray) -> tuple[float, float]:
    """The capture's gain and offset (brightness and contrast) taking grey `gb` to grey
    `ga` (float32), fitted on both blurred alike (a sharp template against a blurred
    capture would read as less contrast) over the pixels the capture did not clip."""
    ya = cv2.GaussianBlur(ga, (0, 0), 2.0).ravel()
    xb = cv2.GaussianBlur(gb, (0, 0), 2.0).ravel()
    kept = (ya > 4) & (ya < 251)
    if kept.sum() >= 10:
        x, y = xb[kept], ya[kept]
        x_mean, y_mean = float(x.mean()), float(y.mean())
        spread = float(np.square(x - x_mean).mean())
        gain = float(((x - x_mean) * (y - y_mean)).mean()) / spread if spread >= 1.0 else 0.0
        if gain > 0:  # a negative one would take an inverted look-alike for the template
            return gain, y_mean - gain * x_mean
    return 1.0, float(np.mean(ya - xb))


def grey_residual(a: np.ndarray, b: np.ndarray, light: tuple[float, float] | None = None) -> float:
    """The largest local difference of `a` from template `b` once brightness and contrast
    are matched (`light`: gain and offset, fitted when not given), as a share of the
    template's grey range: a letter changed or a stroke more shows as a blob of
    difference, grain and JPEG's ringing mostly do not."""
    ga, gb = grey(a).astype(np.float32), grey(b).astype(np.float32)
    gain, offset = light or _light(ga, gb)
    expected = np.clip(gain * gb + offset, 0, 255)
    difference = _trimmed(np.abs(cv2.GaussianBlur(ga - expected, (0, 0), 1.0)))
    low, high = np.percentile(gb, (1, 99))
    return float(difference.max() / (gain * (high - low) + 1e-6))


def _chroma(image: np.ndarray) -> np.ndarray:
    """Cr and Cb about neutral: JPEG's own colour axes."""
    ycc = cv2.cvtColor(image.astype(np.float32) / 255, cv2.COLOR_BGR2YCrCb)
    return (ycc[..., 1:] - 0.5) * 255


def chroma_shifts(
    a: np.ndarray, b: np.ndarray, light: tuple[float, float] | None = None
) -> tuple[float, float]:
    """How far the colours of `a` are from template `b`'s, with `b` as the capture's
    brightness and contrast (`light`, fitted when not given) would show it, in JPEG's own
    colour axes (Cr, Cb), each as a share of its tolerance (1 = at the tolerance):
    - anywhere: the chroma difference blurred to JPEG's colour scale (half resolution,
      quantised in 16 px blocks), against 6 plus a quarter of how much colour is about
      (JPEG shifts saturated colours most; where two colours meet their blurred mix is
      grey): a fill, an icon or a dot of another hue;
    - on the template's ink (where it differs from its main colour by > 40), colour by
      colour (a label's text, each dot of a cluster: one recoloured dot among three must
      not be averaged away): its mean against the rest's, against 6 plus half the
      template's; a tint over the whole patch cancels. Text of another colour is too thin
      for the first."""
    gain, offset = light or _light(grey(a).astype(np.float32), grey(b).astype(np.float32))
    expected = np.clip(gain * b.astype(np.float32) + offset, 0, 255)
    ca, cb = _chroma(a), _chroma(expected)
    difference = np.linalg.norm(cv2.GaussianBlur(ca - cb, (0, 0), 3.0), axis=2)
    amount = cv2.GaussianBlur(
        np.maximum(np.linalg.norm(ca, axis=2), np.linalg.norm(cb, axis=2)), (0, 0), 3.0
    )
    anywhere = float(_trimmed(difference / (6.0 + 0.25 * amount)).max())
    pixels = expected.reshape(-1, 3)
    ink = _trimmed(
        (np.abs(pixels - np.median(pixels, axis=0)).max(axis=1) > 40).reshape(b.shape[:2])
    )
    if ink.sum() < 10 or (~ink).sum() < 10:
        return anywhere, 0.0
    keys = _trimmed(((expected.astype(np.int32) >> 5) * np.int32([64, 8, 1])).sum(axis=2))
    ca = _trimmed(cv2.GaussianBlur(ca, (0, 0), 2.0))
    cb = _trimmed(cv2.GaussianBlur(cb, (0, 0), 2.0))
    _, group, counts = np.unique(keys[ink], return_inverse=True, return_counts=True)
    means = [
        np.stack([np.bincount(group, c[ink][:, k]) for k in (0, 1)], axis=1) / counts[:, None]
        for c in (ca, cb)
    ]
    seen, shown = means[0] - ca[~ink].mean(0), means[1] - cb[~ink].mean(0)
    shift = np.linalg.norm(seen - shown, axis=1) / (6.0 + 0.5 * np.linalg.norm(shown, axis=1))
    return anywhere, float(shift[counts >= 12].max(initial=0.0))


def holds_up(
    patch: np.ndarray, template: np.ndarray, colour: bool = True, rendered_alike: bool = True
) -> bool:
    """Whether a high-scoring spot is the template and not a look-alike.
    `rendered_alike`: the template comes from a screen of the same density."""
    a, b = _same_size(patch, template)
    if min(a.shape[:2]) < 8:
        return True  # too small to judge piece by piece: the whole score decides
    a = _aligned(a, b)
    whole, worst = edge_scores(a, b)
    needed = (GRADIENT_MIN, CELL_MIN, MAX_RESIDUAL) if rendered_alike else CROSS_DENSITY
    if whole < needed[0] or worst < needed[1]:
        return False
    light = _light(grey(a).astype(np.float32), grey(b).astype(np.float32))
    if grey_residual(a, b, light) > needed[2]:
        return False
    if colour and a.ndim == 3 and b.ndim == 3:
        anywhere, ink = chroma_shifts(a, b, light)
        return anywhere <= MAX_CHROMA_SHIFT and ink <= MAX_INK_SHIFT
    return True
