/** Fly-style machine names ("quiet-river-4821") and the names svc accepts for machines and apps. Pure. */
import { usageError } from '../errors.js';
import { isName, NAME_RULE, quotedName } from './names.js';

const ADJECTIVES = [
  'ancient', 'autumn', 'billowing', 'bold', 'broken', 'calm', 'cold', 'cool', 'crimson', 'damp', 'dark',
  'dawn', 'delicate', 'divine', 'dry', 'empty', 'falling', 'floral', 'fragrant', 'frosty', 'gentle',
  'green', 'hidden', 'holy', 'icy', 'late', 'lingering', 'little', 'lively', 'long', 'misty', 'morning',
  'muddy', 'nameless', 'old', 'patient', 'polished', 'proud', 'purple', 'quiet', 'red', 'restless',
  'rough', 'shy', 'silent', 'small', 'snowy', 'solitary', 'sparkling', 'spring', 'still', 'summer',
  'twilight', 'wandering', 'weathered', 'white', 'wild', 'winter', 'wispy', 'withered', 'young',
] as const;

const NOUNS = [
  'bird', 'breeze', 'brook', 'bush', 'butterfly', 'cherry', 'cloud', 'darkness', 'dawn', 'dew', 'dream',
  'dust', 'feather', 'field', 'fire', 'firefly', 'flower', 'fog', 'forest', 'frog', 'frost', 'glade',
  'glitter', 'grass', 'haze', 'hill', 'lake', 'leaf', 'meadow', 'moon', 'morning', 'mountain', 'night',
  'paper', 'pine', 'pond', 'rain', 'resonance', 'river', 'sea', 'shadow', 'shape', 'silence', 'sky',
  'smoke', 'snow', 'sound', 'star', 'sun', 'sunset', 'surf', 'thunder', 'tree', 'violet', 'voice',
  'water', 'waterfall', 'wave', 'wildflower', 'wind', 'wood',
] as const;

/** `random` returns a number in [0, 1), like Math.random; tests pass a fixed sequence. */
export const randomMachineName = (random: () => number = Math.random): string => {
  const pick = <T>(words: readonly T[]) => words[Math.floor(random() * words.length)];
  const number = 1000 + Math.floor(random() * 9000);
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${number}`;
};

/** The container is named `<app>-<machine name>`: both follow svc's one name rule (names.ts). */
export const checkFlyName = (what: 'machine name' | 'app name' | 'process group', flag: string, value: string): string => {
  if (!isName(value)) throw usageError(`Invalid ${what} ${quotedName(value)} for ${flag}: ${NAME_RULE}`);
  return value;
};
