// Creatives of every format for component tests, in the shape the decision endpoint sends them.
import type { Creative } from '@opslot/core';
import { bannerCreative } from './fake-endpoint.js';

const WIDE = new URL('./creative-960x240.svg', import.meta.url).pathname;
const SQUARE = new URL('./creative-120x120.svg', import.meta.url).pathname;

/** A creative of `format` with the assets that format needs; `n` makes ids and texts distinct. */
export function formatCreative(format: string, n = 1, overrides: Partial<Creative> = {}): Creative {
  const base = bannerCreative({
    id: `cr-${format}-${n}`,
    campaignId: `camp-${format}-${n}`,
    format,
    landingUrl: `https://www.hengtai-precision.example/${format}/${n}`,
  });
  const assets: Record<string, Creative['assets']> = {
    carousel: { image: { src: WIDE, width: 960, height: 240, alt: `恒泰精密机械 第 ${n} 帧` } },
    popup: {
      image: { src: WIDE, width: 480, height: 120, alt: '恒泰精密机械 新春设备焕新季' },
      text: { cta: '立即预约' },
    },
    floating: {
      image: { src: SQUARE, width: 120, height: 120, alt: '恒泰精密机械 在线咨询' },
      text: { title: '在线咨询' },
    },
    notice: { text: { body: `恒泰精密机械 第 ${n} 条通知：数控机床以旧换新，最高补贴 8%`, cta: '查看' } },
    'card-list': {
      text: {
        title: `恒泰精密机械 消息 ${n}`,
        summary: '五轴联动加工中心以旧换新，最高补贴 8%，名额有限。',
        publishedAt: '2026-03-05T09:30:00+08:00',
        cta: '查看详情',
      },
    },
    native: {
      logo: { src: SQUARE, width: 120, height: 120, alt: '恒泰精密机械标志' },
      text: { title: '恒泰精密机械', subtitle: '数控机床以旧换新 最高补贴 8%', cta: '立即申请' },
      brandColor: '#0b3d91',
    },
  };
  return { ...base, assets: assets[format] ?? base.assets, ...overrides };
}
