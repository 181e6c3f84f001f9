/**
 * The bare endpoint part b compares Posture's ingest with: express 5 parsing the same JSON body
 * (express.json, which also checks the content type and the size) and answering 201 with a
 * small JSON document. No auth, no database, no adapter, no evaluation: the floor of an HTTP
 * JSON POST in this runtime. Logs "listening on http://localhost:PORT" like the service.
 */
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.post('/ingest', express.json({ limit: '60mb' }), (req, res) => {
  const items = Array.isArray(req.body?.nftables)
    ? req.body.nftables.length
    : Array.isArray(req.body?.data)
      ? req.body.data.length
      : 0;
  res.status(201).json({ id: `bare-${Date.now()}`, itemCount: items });
});
const server = app.listen(Number(process.env.PORT ?? 0), () => {
  process.stdout.write(`listening on http://localhost:${server.address().port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
