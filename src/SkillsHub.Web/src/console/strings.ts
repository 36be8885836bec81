import { currentLang, translator } from '../i18n';
import { en } from './strings-en';
import { zh } from './strings-zh';

export const t = translator({ en, zh });

/** Roles in the page's language, listed as the language lists: "Chief Expert, Expert", "首席专家、专家". */
export const roleList = (roles: readonly string[]) =>
  roles.map((r) => (t.maybe(`role.${r}`) ?? r)).join(currentLang() === 'zh' ? '、' : ', ');

/** Roles any one of which will do: "Chief Expert, Organiser or Admin", "首席专家、组织者或管理员". */
export function roleChoice(roles: readonly string[]): string {
  const names = roles.map((r) => t.maybe(`role.${r}`) ?? r);
  if (names.length < 2) return names.join('');
  const zh = currentLang() === 'zh';
  return `${names.slice(0, -1).join(zh ? '、' : ', ')}${zh ? '或' : ' or '}${names[names.length - 1]}`;
}

/**
 * A reason the server itself writes (an expert taken off the skill revokes their tablets and codes) in the page's language;
 * a reason a person typed stays as written (found by an outside tester: the Chinese console showed the English one).
 */
const serverReasonsZh: Record<string, string> = {
  'expert taken off the skill': '专家已被移出该项目',
  'the expert is not on the skill': '专家不在该项目中',
  'Signed out on the tablet': '已在平板上退出登录',
};
export const serverReason = (reason: string) => (currentLang() === 'zh' ? serverReasonsZh[reason] ?? reason : reason);
