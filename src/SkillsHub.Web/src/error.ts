import './style.css';
import { applyStatic, bilingual, translator } from './i18n';

// The page the server sends to browsers for unknown addresses, 401 and 403 (Hosting/ErrorPages.cs puts
// the status into <body data-status>). API clients get problem details instead. One table, each text in
// both languages (i18n.ts, bilingual).
const t = translator(bilingual({
  '404.title': ['Page not found', '找不到页面'],
  '404.lead': ['There is nothing at this address. It may have been mistyped, or the page has moved.', '此地址没有内容。可能是地址输入有误，或页面已移动。'],
  '401.title': ['Sign-in needed', '请先登录'],
  '401.lead': ['This page is for signed-in users. Organisers and Chief Experts sign in on the console, agency officers on the agency page.', '此页面需要登录。组织者和首席专家在控制台登录，评价机构人员在评价机构页面登录。'],
  '403.title': ['Not allowed', '无权访问'],
  '403.lead': ['Your account may not open this page. Sign in with another account, or ask an organiser.', '您的账户不能打开此页面。请换用其他账户登录，或联系组织者。'],
  '503.title': ['Unavailable for a moment', '暂时无法访问'],
  '503.lead': ['The server cannot reach its database just now. Nothing was lost; reload this page in a few seconds.', '服务器暂时无法连接数据库，没有任何数据丢失。请几秒钟后刷新本页。'],
  'other.title': ['Something went wrong', '出现问题'],
  'other.lead': ['The server could not answer this request. Try again in a moment.', '服务器无法处理此请求，请稍后重试。'],
  'link.home': ['Home: all competitions', '首页：全部赛事'],
  'link.console': ['Organisers\u2019 console', '控制台'],
  'link.agency': ['Evaluation agencies', '评价机构'],
  'link.judge': ['Judges\u2019 tablets', '裁判平板'],
  'link.verify': ['Verify a certificate', '查询证书'],
}));

const status = document.body.dataset.status ?? '404';
const key = (['401', '403', '404', '503'].includes(status) ? status : 'other') as '401' | '403' | '404' | '503' | 'other';

function render(): void {
  document.getElementById('code')!.textContent = status;
  document.getElementById('title')!.textContent = t(`${key}.title`);
  document.getElementById('lead')!.textContent = t(`${key}.lead`);
  document.title = `${t(`${key}.title`)} · SkillsHub`;
}

applyStatic(t, render);
render();
