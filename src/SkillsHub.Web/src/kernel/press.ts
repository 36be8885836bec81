// Live pages draw again when an answer or a push arrives. Replacing the element under a pressing finger or mouse loses
// the tap: the press and the release land on different elements, so the browser sends no click (docs/pages.md,
// "Drawing under a finger"). Drawing that would replace the pressed element waits for the release instead.

let pressed: Element | null = null;
let held: ReturnType<typeof setTimeout> | undefined;
const waiting = new Map<string, () => void>();

document.addEventListener('pointerdown', (e) => {
  pressed = e.target instanceof Element ? e.target : null;
  // A release the page never hears of (the finger left the window) must not stop drawing for good.
  clearTimeout(held);
  held = setTimeout(release, 2000);
}, true);
document.addEventListener('pointerup', release, true);
document.addEventListener('pointercancel', release, true);

function release(): void {
  clearTimeout(held);
  pressed = null;
  if (waiting.size === 0) return;
  const draws = [...waiting.values()];
  waiting.clear();
  // After the tap's own click has been handled.
  setTimeout(() => draws.forEach((draw) => draw()), 0);
}

/**
 * Draws now, unless a press is down inside `within` (the part the drawing replaces): then right after the release, at
 * most 2 s later. Drawings with the same key wait as one, the latest.
 */
export function drawUnlessPressed(within: Node, key: string, draw: () => void): void {
  if (pressed && within.contains(pressed)) {
    waiting.set(key, draw);
    return;
  }
  waiting.delete(key);
  draw();
}
