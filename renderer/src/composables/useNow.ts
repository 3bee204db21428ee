/**
 * A clock for countdowns and uptimes, shared by every component that needs one and
 * ticking only while someone listens.
 */
import { onScopeDispose, ref, type Ref } from 'vue';

const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | null = null;

export function useNow(): Ref<number> {
  users++;
  if (timer === null) timer = setInterval(() => (now.value = Date.now()), 1000);
  onScopeDispose(() => {
    users--;
    if (users === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  });
  return now;
}
