/** A real PNG (or JPEG, WebP) of `width` × `height`, drawn in the browser. */
export async function imageFile(width: number, height: number, type = 'image/png', name = 'logo.png'): Promise<File> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  context.fillStyle = '#0b3d91';
  context.fillRect(0, 0, width, height);
  const blob = await canvas.convertToBlob({ type });
  return new File([blob], name, { type });
}

/** An XMLHttpRequest at the far side of the boundary: records what is sent; the test answers. */
export class FakeXhr {
  static all: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  sent: Blob | undefined;
  status = 0;
  responseText = '';
  aborted = false;
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  static create = () => {
    const xhr = new FakeXhr();
    FakeXhr.all.push(xhr);
    return xhr as unknown as XMLHttpRequest;
  };
  static get last(): FakeXhr {
    return FakeXhr.all.at(-1) as FakeXhr;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: Blob) {
    this.sent = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.(new ProgressEvent('progress', { loaded, total, lengthComputable: true }));
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

/** The upload the server answers for `sent`. */
export async function uploadOf(sent: Blob, id: string) {
  const bitmap = await createImageBitmap(sent);
  return {
    id,
    type: sent.type || 'image/png',
    width: bitmap.width,
    height: bitmap.height,
    bytes: sent.size,
    url: `/v1/partner/uploads/${id}`,
  };
}
