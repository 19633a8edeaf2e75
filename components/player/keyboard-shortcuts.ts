/** What a key press asks the player to do. */
export type PlayerAction =
  | { type: "togglePlay" }
  | { type: "seekBy"; seconds: number }
  | { type: "seekToFraction"; fraction: number }
  | { type: "volumeBy"; delta: number }
  | { type: "toggleMute" }
  | { type: "toggleFullscreen" }
  | { type: "toggleCaptions" };

/** The parts of a KeyboardEvent the mapping looks at. */
export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** The parts of the event target that decide whether the player may take the key. */
export interface KeyTarget {
  tagName: string;
  isContentEditable?: boolean;
  /** `type` attribute of an input. */
  type?: string;
  /** `role` attribute. */
  role?: string | null;
}

export const SEEK_SMALL_SECONDS = 5;
export const SEEK_LARGE_SECONDS = 10;
export const VOLUME_STEP = 0.05;

const NON_TEXT_INPUTS = new Set(["button", "checkbox", "radio", "range", "reset", "submit"]);

/** True when the key belongs to what the member is typing into, not to the player. */
export function isTypingTarget(target: KeyTarget | null): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") return !NON_TEXT_INPUTS.has((target.type ?? "text").toLowerCase());
  return target.role === "textbox" || target.role === "searchbox" || target.role === "combobox";
}

/**
 * Keys a focused control handles itself: Space and Enter activate a button or menu item,
 * arrows move a slider or a menu. Taking them too would act twice.
 */
export function isOwnedByControl(key: string, target: KeyTarget | null): boolean {
  if (!target) return false;
  const tag = target.tagName.toUpperCase();
  const role = target.role ?? "";
  const activates = key === " " || key === "Enter";
  if (activates && (tag === "BUTTON" || tag === "A" || role.startsWith("menuitem"))) return true;
  const arrow = key.startsWith("Arrow") || key === "Home" || key === "End";
  return arrow && (role === "slider" || role.startsWith("menuitem") || role === "menu");
}

/** Maps a key press to a player action, or null when the player should leave it alone. */
export function keyToAction(input: KeyInput, target: KeyTarget | null = null): PlayerAction | null {
  // Browser and OS shortcuts (Ctrl+L, Cmd+F ...) are never the player's.
  if (input.ctrlKey || input.metaKey || input.altKey) return null;
  if (isTypingTarget(target) || isOwnedByControl(input.key, target)) return null;
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  switch (key) {
    case " ":
    case "k":
      return { type: "togglePlay" };
    case "j":
      return { type: "seekBy", seconds: -SEEK_LARGE_SECONDS };
    case "l":
      return { type: "seekBy", seconds: SEEK_LARGE_SECONDS };
    case "ArrowLeft":
      return { type: "seekBy", seconds: -SEEK_SMALL_SECONDS };
    case "ArrowRight":
      return { type: "seekBy", seconds: SEEK_SMALL_SECONDS };
    case "ArrowUp":
      return { type: "volumeBy", delta: VOLUME_STEP };
    case "ArrowDown":
      return { type: "volumeBy", delta: -VOLUME_STEP };
    case "Home":
      return { type: "seekToFraction", fraction: 0 };
    case "End":
      return { type: "seekToFraction", fraction: 1 };
    case "m":
      return { type: "toggleMute" };
    case "f":
      return { type: "toggleFullscreen" };
    case "c":
      return { type: "toggleCaptions" };
    default:
      if (/^[0-9]$/.test(key)) return { type: "seekToFraction", fraction: Number(key) / 10 };
      return null;
  }
}
