// The portal's proof of work (portal/reports/challenge.py): every form and every receipt
// lookup carries a single-use server nonce, and this script finds a counter whose
// SHA-256("nonce:counter") starts with the asked number of zero bits before the form may be
// sent (hashcash; a few seconds at most on a phone, and a script that floods the portal
// pays it on every try). The same idea as the internal app's login page, written again here because the
// portal is its own project with its own static files. SHA-256 is written out because the
// browser's crypto.subtle exists only on HTTPS pages and is asynchronous per hash.
(function () {
  "use strict";

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var W = new Array(64);

  function rotr(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  // SHA-256 of an ASCII string, as eight 32-bit words.
  function sha256(text) {
    var n = text.length;
    var blocks = ((n + 8) >> 6) + 1;
    var words = new Array(blocks * 16).fill(0);
    for (var i = 0; i < n; i++) {
      words[i >> 2] |= (text.charCodeAt(i) & 0xff) << (24 - (i % 4) * 8);
    }
    words[n >> 2] |= 0x80 << (24 - (n % 4) * 8);
    words[words.length - 1] = n * 8;
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    for (var b = 0; b < words.length; b += 16) {
      for (var t = 0; t < 64; t++) {
        if (t < 16) {
          W[t] = words[b + t] | 0;
        } else {
          var s0 = rotr(W[t - 15], 7) ^ rotr(W[t - 15], 18) ^ (W[t - 15] >>> 3);
          var s1 = rotr(W[t - 2], 17) ^ rotr(W[t - 2], 19) ^ (W[t - 2] >>> 10);
          W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
        }
      }
      var a = h[0], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7], bb = h[1];
      for (var r = 0; r < 64; r++) {
        var S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        var ch = (e & f) ^ (~e & g);
        var t1 = (hh + S1 + ch + K[r] + W[r]) | 0;
        var S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        var maj = (a & bb) ^ (a & c) ^ (bb & c);
        var t2 = (S0 + maj) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0;
        d = c; c = bb; bb = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + bb) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + hh) | 0;
    }
    return h;
  }

  function leadingZeros(h, bits) {
    for (var i = 0; bits > 0; i++, bits -= 32) {
      var mask = bits >= 32 ? 0xffffffff : ~(0xffffffff >>> bits);
      if ((h[i] & mask) !== 0) return false;
    }
    return true;
  }

  function solve(input) {
    var form = input.form;
    var nonce = input.getAttribute("data-nonce");
    var bits = parseInt(input.getAttribute("data-bits"), 10) || 0;
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector(".pow-status");
    if (button) button.disabled = true;
    if (status) status.textContent = status.getAttribute("data-working");
    var counter = 0;

    function work() {
      var stop = counter + 20000;
      for (; counter < stop; counter++) {
        if (leadingZeros(sha256(nonce + ":" + counter), bits)) {
          input.value = String(counter);
          if (button) button.disabled = false;
          if (status) status.textContent = status.getAttribute("data-done");
          return;
        }
      }
      setTimeout(work, 0);
    }
    setTimeout(work, 0);
  }

  var inputs = document.querySelectorAll("input[name=pow][data-nonce]");
  for (var i = 0; i < inputs.length; i++) solve(inputs[i]);
})();
