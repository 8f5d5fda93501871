"""Built-in background music, composed and synthesised by our own code (no samples, no
downloads): four moods, each a seamless loop of whole bars, cached as WAV after first use.

    from reelwright.media.music import MOODS, mood_for_words, library_track
    path = library_track(mood_for_words("a chill study vlog") or "calm", cache_dir)
"""

from reelwright.media.music.library import (
    GENERATOR_VERSION,
    MOODS,
    SAMPLE_RATE,
    Mood,
    generate,
    library_track,
    mood_for_words,
    track_path,
)

__all__ = [
    "GENERATOR_VERSION",
    "MOODS",
    "SAMPLE_RATE",
    "Mood",
    "generate",
    "library_track",
    "mood_for_words",
    "track_path",
]
