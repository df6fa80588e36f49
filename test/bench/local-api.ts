/** JSON calls to the local runtime's API as one signed-in user, for the end-to-end latency sections. */
export type LocalApiCall = (
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field
) => Promise<Record<string, any>>;

export const localApi =
  (baseUrl: string, authorization: string): LocalApiCall =>
  async (method, path, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };
