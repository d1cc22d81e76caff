import { startEmbeddedDb } from './embedded-db';
const db = await startEmbeddedDb({ dataDir: '.data' });
console.log(db.url);
setInterval(() => {}, 1 << 30);
