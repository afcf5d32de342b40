// verifyd inside an Express application, under /verify: `node examples/express.mjs`, then open
// http://127.0.0.1:3000/verify/ for the demo page. Needs `npm install verifyd express`.
import express from 'express';
import { createVerifier, memoryStore } from 'verifyd';
import { verifydExpress } from 'verifyd/express';

const verifier = createVerifier({ store: memoryStore(), secret: Buffer.from(process.env.VERIFYD_SECRET ?? 'example-secret-change-me-0123456789abcdef') });
const app = express();
app.use('/verify', verifydExpress({ verifier }));
app.get('/', (_req, res) => res.send('the application; verifyd is at /verify/'));
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/verify/`);
});
