"""LAME's quality setting chosen by measurement: one speech WAV encoded at several settings.

Used by bench/run.py, and runnable alone::

    python bench/encoder_quality.py SPEECH.wav [--qualities 2 3 5 7] [--runs 3]

The WAV (16-bit mono, as the speech engine writes it) is encoded the way the
audio edition encodes it: lameenc, 96 kbps constant bit rate, mono, 44.1 kHz
out. For each quality setting it reports the encode time (median of ``runs``,
in this process, so interpreter start and imports are not counted; ``seconds``
is CPU time, which for this one-threaded encoder is its wall time on a quiet
machine and is not inflated by other work on a busy one; ``wall_seconds`` is
beside it) and how far
the decoded MP3 is from the input resampled to 44.1 kHz with
``scipy.signal.resample_poly``, after the encoder's delay is found by
cross-correlation and taken off:

* ``snr_db``: signal to noise over the whole file. It rewards settings that
  spend no effort shaping the noise (LAME 7 and above shape none), so it is
  not read alone.
* ``fw_seg_snr_db``: frequency-weighted segmental SNR (after Hu and Loizou,
  2008): 25 ms frames, Bark bands up to 11 kHz (the speech's whole band at
  22,050 Hz), each band's SNR held to -10..35 dB and weighted by the band's
  loudness. An objective speech-quality figure.
* ``lsd_db``: log-spectral distance up to 11 kHz over the frames with speech
  (lower is better); noise left in quiet parts of the spectrum shows here.

Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
import wave
from pathlib import Path

import numpy as np

BIT_RATE_KBPS = 96
OUTPUT_RATE = 44_100
BAND_TOP_HZ = 11_000
# Frames quieter than this, relative to the loudest, are silence and not scored.
SPEECH_FLOOR_DB = -40.0
MAX_LAG = 8192


def encode(pcm: bytes, rate: int, quality: int) -> bytes:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BIT_RATE_KBPS)
    encoder.set_in_sample_rate(rate)
    encoder.set_out_sample_rate(OUTPUT_RATE)
    encoder.set_channels(1)
    encoder.set_quality(quality)
    return bytes(encoder.encode(pcm) + encoder.flush())


def read_wav(path: Path) -> tuple[bytes, int]:
    with wave.open(str(path), "rb") as wav:
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise SystemExit(f"{path}: expected 16-bit mono, got {wav.getnchannels()} channels "
                             f"of {8 * wav.getsampwidth()} bits")
        return wav.readframes(wav.getnframes()), wav.getframerate()


def reference(pcm: bytes, rate: int) -> np.ndarray:
    """The input as floats at the MP3's rate."""
    from math import gcd

    from scipy.signal import resample_poly

    samples = np.frombuffer(pcm, "<i2").astype(np.float64) / 32768.0
    if rate == OUTPUT_RATE:
        return samples
    common = gcd(rate, OUTPUT_RATE)
    return resample_poly(samples, OUTPUT_RATE // common, rate // common)


def decode(mp3: bytes) -> np.ndarray:
    import soundfile

    samples, rate = soundfile.read(io.BytesIO(mp3), dtype="float64")
    if rate != OUTPUT_RATE:
        raise SystemExit(f"decoded MP3 is at {rate} Hz, not {OUTPUT_RATE}")
    return samples if samples.ndim == 1 else samples.mean(axis=1)


def encoder_delay(ref: np.ndarray, decoded: np.ndarray) -> int:
    """Samples the decoded audio lags the input, from the cross-correlation of a loud stretch."""
    from scipy.signal import correlate

    span = min(len(ref), 20 * OUTPUT_RATE)
    # Start where the reference is loud, so the correlation has speech to lock on to.
    frame = OUTPUT_RATE // 10
    energy = [float(np.sum(ref[i:i + frame] ** 2)) for i in range(0, max(1, len(ref) - span), frame)]
    start = frame * int(np.argmax(energy)) if energy else 0
    piece = ref[start:start + span]
    window = decoded[start:start + span + MAX_LAG]
    scores = correlate(window, piece, mode="full", method="fft")
    zero = len(piece) - 1
    return int(np.argmax(scores[zero:zero + MAX_LAG + 1]))


def _bark(hz: np.ndarray) -> np.ndarray:
    return 13 * np.arctan(0.00076 * hz) + 3.5 * np.arctan((hz / 7500.0) ** 2)


def quality_figures(ref: np.ndarray, decoded: np.ndarray) -> dict[str, float]:
    from scipy.signal import stft

    lag = encoder_delay(ref, decoded)
    n = min(len(ref), len(decoded) - lag)
    clean, coded = ref[:n], decoded[lag:lag + n]
    noise = clean - coded
    snr = 10 * np.log10(np.sum(clean ** 2) / max(np.sum(noise ** 2), 1e-20))

    size = int(0.025 * OUTPUT_RATE) // 2 * 2
    freqs, _, clean_spec = stft(clean, OUTPUT_RATE, window="hann", nperseg=size, noverlap=size // 2)
    _, _, coded_spec = stft(coded, OUTPUT_RATE, window="hann", nperseg=size, noverlap=size // 2)
    band = freqs <= BAND_TOP_HZ
    clean_mag, coded_mag = np.abs(clean_spec[band]), np.abs(coded_spec[band])
    frame_power = np.sum(clean_mag ** 2, axis=0)
    speech = frame_power > frame_power.max() * 10 ** (SPEECH_FLOOR_DB / 10)

    # Frequency-weighted segmental SNR on Bark bands.
    barks = np.floor(_bark(freqs[band])).astype(int)
    edges = np.unique(barks)
    clean_bands = np.stack([np.sqrt(np.sum(clean_mag[barks == b] ** 2, axis=0)) for b in edges])
    coded_bands = np.stack([np.sqrt(np.sum(coded_mag[barks == b] ** 2, axis=0)) for b in edges])
    tiny = 1e-12
    band_snr = 10 * np.log10(clean_bands ** 2 / np.maximum((clean_bands - coded_bands) ** 2, tiny) + tiny)
    band_snr = np.clip(band_snr, -10, 35)
    weights = clean_bands ** 0.2
    per_frame = np.sum(weights * band_snr, axis=0) / np.maximum(np.sum(weights, axis=0), tiny)
    fw_seg_snr = float(np.mean(per_frame[speech]))

    # Log-spectral distance over the frames with speech.
    clean_power, coded_power = clean_mag[:, speech] ** 2, coded_mag[:, speech] ** 2
    floor = clean_power.max() * 1e-10
    diff = 10 * np.log10((clean_power + floor) / (coded_power + floor))
    lsd = float(np.mean(np.sqrt(np.mean(diff ** 2, axis=0))))
    return {"lag_samples": lag, "snr_db": float(snr), "fw_seg_snr_db": fw_seg_snr, "lsd_db": lsd}


def measure(wav: Path, qualities: list[int], runs: int) -> dict:
    pcm, rate = read_wav(wav)
    ref = reference(pcm, rate)
    wall: dict[int, list[float]] = {quality: [] for quality in qualities}
    cpu: dict[int, list[float]] = {quality: [] for quality in qualities}
    mp3s: dict[int, bytes] = {}
    # Round after round over the settings, so that other load on the machine
    # falls on every setting alike.
    for _ in range(runs):
        for quality in qualities:
            start, start_cpu = time.perf_counter(), time.process_time()
            mp3s[quality] = encode(pcm, rate, quality)
            wall[quality].append(time.perf_counter() - start)
            cpu[quality].append(time.process_time() - start_cpu)
    results = []
    for quality in qualities:
        figures = quality_figures(ref, decode(mp3s[quality]))
        results.append({"quality": quality, "seconds": statistics.median(cpu[quality]),
                        "wall_seconds": statistics.median(wall[quality]), "cpu_times": cpu[quality],
                        "wall_times": wall[quality], "bytes": len(mp3s[quality]), **figures})
    return {"wav": str(wav), "input_rate": rate, "audio_seconds": len(pcm) / 2 / rate, "runs": runs,
            "results": results}


def choose(results: list[dict], snr_slack_db: float = 0.5, lsd_slack_db: float = 0.1) -> dict:
    """The fastest setting whose quality figures are all within a small slack of the best setting's."""
    best_fw = max(r["fw_seg_snr_db"] for r in results)
    best_lsd = min(r["lsd_db"] for r in results)
    good = [r for r in results
            if r["fw_seg_snr_db"] >= best_fw - snr_slack_db and r["lsd_db"] <= best_lsd + lsd_slack_db]
    return min(good, key=lambda r: r["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wav", type=Path)
    parser.add_argument("--qualities", type=int, nargs="+", default=[2, 3, 5, 7])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    report = measure(options.wav, options.qualities, options.runs)
    report["chosen"] = choose(report["results"])["quality"]
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
