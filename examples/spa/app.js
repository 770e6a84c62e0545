// A tiny client-side routed app, as a bank's single-page e-banking would be: each route renders its view and
// mounts the view's <op-slot> tags; leaving the route removes them. The page only tells opslot which page it is on.
import { configure } from '/sdk/opslot.js';

/** Views by route; each slot is [slot id, size]. */
const ROUTES = {
  home: {
    title: '首页',
    lead: '账户概览与近期活动。本视图挂载两个运营位。',
    slots: [
      ['home-banner', '960x240'],
      ['home-side', '300x250'],
    ],
  },
  accounts: {
    title: '账户管理',
    lead: '基本存款账户、一般存款账户与代发专户。本视图挂载一个通栏运营位。',
    slots: [['home-strip', '960x90']],
  },
  'transfer-confirm': {
    title: '转账确认',
    lead: '请核对收款人与金额后确认。',
    quietNote: '本页为静默页：配置的 quietPages 含 transfer-confirm，下方的运营位标签不会请求或展示任何内容。',
    slots: [['home-side', '300x250']],
  },
  notices: {
    title: '公告通知',
    lead: '系统维护、业务调整与风险提示。本视图挂载一个矩形运营位。',
    slots: [['home-side', '300x250']],
  },
};

const view = document.getElementById('view');

function routeFromHash() {
  const route = location.hash.replace(/^#\//, '');
  return Object.hasOwn(ROUTES, route) ? route : 'home';
}

function render() {
  const route = routeFromHash();
  const { title, lead, quietNote, slots } = ROUTES[route];
  // The page id is what quiet pages and the decision's page context key on; set it before the slots connect.
  configure({ pageId: route });

  const heading = Object.assign(document.createElement('h1'), { className: 'page-head__title', textContent: title });
  const paragraph = Object.assign(document.createElement('p'), { className: 'spa-view__lead', textContent: lead });
  const row = Object.assign(document.createElement('div'), {
    className: slots.length > 1 ? 'slot-row slot-row--split' : 'slot-row',
  });
  for (const [slotId, size] of slots) {
    const slot = document.createElement('op-slot');
    slot.setAttribute('slot-id', slotId);
    slot.setAttribute('size', size);
    row.append(slot);
  }
  const parts = [heading, paragraph];
  if (quietNote)
    parts.push(Object.assign(document.createElement('p'), { className: 'quiet-banner', textContent: quietNote }));
  // replaceChildren removes the previous view's slots, which stop asking and measuring when disconnected.
  view.replaceChildren(...parts, row);

  for (const link of document.querySelectorAll('[data-route]')) {
    if (link.dataset.route === route) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${title} · 示例银行企业网上银行（opslot 示例 spa）`;
}

addEventListener('hashchange', render);
render();
