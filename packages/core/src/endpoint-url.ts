/**
 * A resource of the API whose base the configuration names: `endpointUrl('https://ads.bank.example/v1', 'events')`
 * is `https://ads.bank.example/v1/events`, with or without the base's trailing slash.
 */
export const endpointUrl = (endpoint: string, path: string): URL => new URL(path, endpoint.replace(/\/?$/, '/'));
