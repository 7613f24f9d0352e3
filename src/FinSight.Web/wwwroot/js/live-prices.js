// Live prices on the dashboard: the server pushes "prices" (SignalR, /hubs/prices) when a price the
// user holds changes, and the page then fetches its live parts once (the same htmx request the poll
// makes). While the push is connected the poll is off; while it is not (connecting, reconnecting,
// or refused) the page polls as before, so prices never stop updating.
(function () {
  'use strict';
  var poller = document.getElementById('live-poller');
  var status = document.getElementById('live-status');
  if (!poller || !window.signalR || !window.htmx) return;
  var polling = poller.getAttribute('hx-trigger');
  var pollingText = status ? status.textContent.trim() : '';
  var pushed = 'finsight:prices';

  function usePush(on) {
    poller.setAttribute('hx-trigger', on ? pushed : polling);
    poller.setAttribute('data-live', on ? 'push' : 'poll');
    htmx.process(poller);
    if (status) status.textContent = on ? 'Prices update live as they change.' : pollingText;
  }

  var connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/prices')
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 30000])
    .build();
  connection.on('prices', function () { htmx.trigger(poller, pushed); });
  connection.onreconnecting(function () { usePush(false); });
  connection.onreconnected(function () { usePush(true); htmx.trigger(poller, pushed); });
  connection.onclose(function () { usePush(false); setTimeout(start, 30000); });

  function start() {
    connection.start()
      .then(function () { usePush(true); })
      .catch(function () { usePush(false); setTimeout(start, 30000); });
  }
  start();
})();
