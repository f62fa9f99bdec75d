// A deadline's live countdown: "in 3 h 12 min", "overdue by 2 days", ticking every second.

import { countdown } from '../format/time';
import { useLanguage, useNow } from './hooks';

export function Countdown({ deadline, paused }: { deadline: string | null | undefined; paused?: boolean }) {
  const now = useNow();
  const language = useLanguage();
  const state = countdown(deadline, now, language, { paused });
  return (
    <span className={`countdown countdown-${state.state}`} title={deadline ?? undefined}>
      {state.text}
    </span>
  );
}
