/**
 * Recording one take: the microphone through getUserMedia, MediaRecorder, a countdown of the
 * prompt's time limit that stops the recording when it runs out, and the reasons a recording
 * cannot start, phrased for the rep.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export type RecorderState =
  | { status: 'idle' }
  | { status: 'asking' }
  | { status: 'recording'; startedAt: number; elapsedMs: number }
  | { status: 'recorded'; blob: Blob; mime: string; durationMs: number }
  | { status: 'failed'; message: string };

/** What the rep reads when the browser refuses or finds no microphone. */
export function microphoneProblem(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Pitchcase may not use the microphone. Allow it for Pitchcase in Windows Settings › Privacy › Microphone (or the browser’s site settings), then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Plug one in or connect a headset, then try again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone is busy in another program (a call?). Close it there, then try again.';
    case 'NotSupportedError':
      return 'This device cannot record audio here.';
    default:
      return `The recording could not start${error instanceof Error && error.message ? `: ${error.message}` : ''}.`;
  }
}

/** The first audio type this MediaRecorder can write, or '' to let it choose. */
export function recordingMime(isSupported: (mime: string) => boolean): string {
  for (const mime of ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4'])
    if (isSupported(mime)) return mime;
  return '';
}

export interface Recorder {
  state: RecorderState;
  start(): Promise<void>;
  stop(): void;
  reset(): void;
}

export function useRecorder(timeLimitSeconds: number): Recorder {
  const [state, setState] = useState<RecorderState>({ status: 'idle' });
  const recorder = useRef<MediaRecorder | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const timer = useRef<number | null>(null);

  const release = useCallback(() => {
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = null;
    for (const track of stream.current?.getTracks() ?? []) track.stop();
    stream.current = null;
  }, []);

  const stop = useCallback(() => {
    if (recorder.current && recorder.current.state !== 'inactive') recorder.current.stop();
  }, []);

  const start = useCallback(async () => {
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
      setState({ status: 'failed', message: 'This device cannot record audio here.' });
      return;
    }
    setState({ status: 'asking' });
    let media: MediaStream;
    try {
      media = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch (error) {
      setState({ status: 'failed', message: microphoneProblem(error) });
      return;
    }
    stream.current = media;
    const mime = recordingMime((m) => MediaRecorder.isTypeSupported(m));
    const rec = new MediaRecorder(media, mime ? { mimeType: mime } : undefined);
    recorder.current = rec;
    const chunks: Blob[] = [];
    const startedAt = performance.now();
    rec.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    rec.onstop = () => {
      const durationMs = Math.round(performance.now() - startedAt);
      const type = rec.mimeType || mime || 'audio/webm';
      release();
      recorder.current = null;
      const blob = new Blob(chunks, { type });
      setState(
        blob.size > 0
          ? { status: 'recorded', blob, mime: type, durationMs }
          : { status: 'failed', message: 'Nothing was recorded: the microphone sent no sound. Try again.' },
      );
    };
    rec.onerror = () => {
      release();
      setState({ status: 'failed', message: 'The recording stopped unexpectedly. Try again.' });
    };
    rec.start(1000);
    setState({ status: 'recording', startedAt, elapsedMs: 0 });
    // The countdown; at the time limit the take ends, as it would in front of a customer.
    timer.current = window.setInterval(() => {
      const elapsedMs = performance.now() - startedAt;
      if (elapsedMs >= timeLimitSeconds * 1000) stop();
      else setState((s) => (s.status === 'recording' ? { ...s, elapsedMs } : s));
    }, 250);
  }, [release, stop, timeLimitSeconds]);

  const reset = useCallback(() => setState({ status: 'idle' }), []);

  // Leaving the screen mid-take lets go of the microphone.
  useEffect(
    () => () => {
      if (recorder.current && recorder.current.state !== 'inactive') {
        recorder.current.onstop = null;
        recorder.current.stop();
      }
      release();
    },
    [release],
  );

  return { state, start, stop, reset };
}

/** Reads a recorded blob as base64 for the contract (JSON only). */
export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

export function base64ToBlob(base64: string, mime: string): Blob {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: mime });
}

export function formatSeconds(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
