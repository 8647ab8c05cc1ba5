namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A page that uses a live-updates WebSocket as MoosicBox's web app does (<c>new WebSocket(url)</c>, nothing else):
/// <c>live.connect(url)</c> resolves on open (rejects with the close code if it closes first), <c>live.send(text)</c>,
/// <c>live.next(n, ms)</c> resolves with the first n messages received (text as strings, binary as
/// <c>{binary:[bytes]}</c>), <c>live.closed</c> resolves with <c>{code, reason, wasClean}</c>, <c>live.close(code)</c>.
/// </summary>
public static class LiveUpdatesPage
{
    public const string Html = """
        <!doctype html>
        <html>
        <head><meta charset="utf-8"><title>live updates</title></head>
        <body>
        <h1>live updates</h1>
        <pre id="log"></pre>
        <script>
        const log = text => { document.getElementById('log').textContent += text.slice(0, 120) + '\n'; };
        window.live = {
          socket: null,
          messages: [],
          closed: null,
          listeners: [],
          connect(url) {
            return new Promise((resolve, reject) => {
              const ws = new WebSocket(url);
              ws.binaryType = 'arraybuffer';
              live.socket = ws;
              live.messages = [];
              live.closed = new Promise(done => ws.addEventListener('close', e => {
                log('closed ' + e.code);
                done({ code: e.code, reason: e.reason, wasClean: e.wasClean });
              }));
              ws.addEventListener('open', () => { log('open ' + url.replace(/signature=[^&]*/, 'signature=…')); resolve(true); });
              ws.addEventListener('close', e => reject(new Error('closed before open: ' + e.code)));
              ws.addEventListener('message', e => {
                const message = typeof e.data === 'string' ? e.data : { binary: Array.from(new Uint8Array(e.data)) };
                live.messages.push(message);
                log('got ' + (typeof message === 'string' ? message : 'binary ' + message.binary.length));
                live.listeners.forEach(l => l());
              });
            });
          },
          send(text) { live.socket.send(text); return true; },
          next(count, ms) {
            return new Promise((resolve, reject) => {
              const check = () => {
                if (live.messages.length >= count) {
                  live.listeners = live.listeners.filter(l => l !== check);
                  resolve(live.messages.slice(0, count));
                  return true;
                }
                return false;
              };
              if (check()) return;
              live.listeners.push(check);
              setTimeout(() => reject(new Error('got ' + live.messages.length + ' of ' + count + ' messages in ' + ms + ' ms')), ms);
            });
          },
          close(code) { live.socket.close(code || 1000); return live.closed; },
        };
        </script>
        </body>
        </html>
        """;
}
