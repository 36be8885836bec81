// Which competition and skill an organiser's console opens on (docs/pages.md, "Console"): the one last chosen; with no
// choice yet, the most recent competition with marks, on its first skill with marks; failing that, the most recent one
// with a skill set up; failing that, the most recent one. Never a newer competition that has nothing in it yet.
import type { Read } from '../api-types';
import { get, type CompetitionSummary } from './api';

type Leader = Read<'/api/competitions/{code}/results'>['leaders'][number];

/** The skills of a competition that are set up (have an event), each with its leader once it has marks. */
async function skillsSetUp(code: string): Promise<Leader[]> {
  try {
    return (await get<Read<'/api/competitions/{code}/results'>>(`/api/competitions/${encodeURIComponent(code)}/results`)).leaders;
  } catch {
    // Only a preference: without it the picker falls back to the first skill, and the page says what went wrong.
    return [];
  }
}

/** The skill to open in a competition: the first with marks, else the first set up; null when none is set up. */
export async function skillToOpen(code: string): Promise<number | null> {
  const skills = await skillsSetUp(code);
  return (skills.find((s) => s.competitorId !== null) ?? skills[0])?.skillNumber ?? null;
}

/** The competition (and skill) to open when none was chosen. The list is in start order, the most recent last. */
export async function competitionToOpen(competitions: CompetitionSummary[]): Promise<{ code: string; skill: number | null }> {
  let setUp: { code: string; skill: number } | null = null;
  for (const c of [...competitions].reverse()) {
    const skills = await skillsSetUp(c.code);
    const marked = skills.find((s) => s.competitorId !== null);
    if (marked) return { code: c.code, skill: marked.skillNumber };
    if (!setUp && skills.length > 0) setUp = { code: c.code, skill: skills[0].skillNumber };
  }
  return setUp ?? { code: competitions[competitions.length - 1].code, skill: null };
}
