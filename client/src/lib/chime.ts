// Tones generated with Web Audio, so no sound file has to be shipped, cached or licensed.

/** Two short high tones: distinct from a message ping, audible over café chatter (the phone's "your turn"). */
export function playBeep(audio: AudioContext): void {
  tones(audio, [
    [880, 0],
    [880, 0.28],
  ], 0.22);
}

/** A rising three-note chime (C6, E6, G6) for the TV: friendly, and heard across the room. */
export function playChime(audio: AudioContext): void {
  tones(audio, [
    [1046.5, 0],
    [1318.5, 0.18],
    [1568, 0.36],
  ], 0.6);
}

function tones(audio: AudioContext, notes: ReadonlyArray<readonly [hz: number, offset: number]>, length: number): void {
  const start = audio.currentTime;
  for (const [hz, offset] of notes) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = hz;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.4, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + length);
    osc.connect(gain).connect(audio.destination);
    osc.start(start + offset);
    osc.stop(start + offset + length + 0.02);
  }
}
