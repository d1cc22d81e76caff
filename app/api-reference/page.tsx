import type { Metadata } from 'next';
import Link from 'next/link';
import { OPERATIONS, openApiDocument, openApiPath } from '@/lib/domain/openapi';

export const metadata: Metadata = { title: 'API reference' };

type Spec = { paths: Record<string, Record<string, { parameters: { name: string; in: string; description?: string }[]; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { description?: string; $ref?: string; content?: Record<string, { schema?: unknown }> }> }>> };

/** The HTTP API as the OpenAPI description gives it (`/api/openapi.json`), readable in the app. */
export default function ApiReference() {
  const spec = openApiDocument() as unknown as Spec;
  const groups = [...new Set(OPERATIONS.map((o) => o.group))];
  return (
    <main className="api-ref">
      <p>
        <Link href="/">Marginalia</Link>
      </p>
      <h1>API reference</h1>
      <p>
        Every endpoint, generated from the schemas the server validates with. Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
        Authenticate with the session cookie (same origin) or <code>Authorization: Bearer &lt;token&gt;</code>; every error uses one envelope,{' '}
        <code>{'{ "error": { "code", "message", "details"? } }'}</code>.
      </p>
      <nav aria-label="Groups">
        <ul className="api-ref-groups">
          {groups.map((g) => (
            <li key={g}><a href={`#${g.toLowerCase().replace(/\W+/g, '-')}`}>{g}</a></li>
          ))}
        </ul>
      </nav>
      {groups.map((g) => (
        <section key={g} aria-labelledby={g.toLowerCase().replace(/\W+/g, '-')}>
          <h2 id={g.toLowerCase().replace(/\W+/g, '-')}>{g}</h2>
          {OPERATIONS.filter((o) => o.group === g).map((o) => {
            const op = spec.paths[openApiPath(o.path)][o.method.toLowerCase()];
            const body = op.requestBody?.content['application/json']?.schema;
            return (
              <article key={`${o.method} ${o.path}`} className="api-op">
                <h3>
                  <code className={`api-method api-${o.method.toLowerCase()}`}>{o.method}</code> <code>{o.path}</code>
                </h3>
                <p>{o.summary}. <span className="muted">Who: {o.access}.</span></p>
                {op.parameters.length > 0 && (
                  <p>
                    Parameters:{' '}
                    {op.parameters.map((p, i) => (
                      <span key={`${p.in}-${p.name}`}>{i ? ', ' : ''}<code>{p.name}</code> ({p.in})</span>
                    ))}
                  </p>
                )}
                {body !== undefined && (
                  <details>
                    <summary>Request body</summary>
                    <pre>{JSON.stringify(body, null, 2)}</pre>
                  </details>
                )}
                <details>
                  <summary>Responses: {Object.keys(op.responses).join(', ')}</summary>
                  <ul>
                    {Object.entries(op.responses).map(([status, r]) => (
                      <li key={status}>
                        <code>{status}</code> {r.description ?? 'Error envelope'}
                        {r.content && Object.values(r.content)[0]?.schema !== undefined && <pre>{JSON.stringify(Object.values(r.content)[0].schema, null, 2)}</pre>}
                      </li>
                    ))}
                  </ul>
                </details>
              </article>
            );
          })}
        </section>
      ))}
    </main>
  );
}
