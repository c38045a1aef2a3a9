/* eslint-disable comma-dangle, no-unused-vars, no-var, prefer-template, vars-on-top */

/*
 * NOTE: If you add a new option please remember to document it here:
 * https://jitsi.github.io/handbook/docs/dev-guide/dev-guide-configuration
 */

var subdir = '<!--# echo var="subdir" default="" -->';
var subdomain = '<!--# echo var="subdomain" default="" -->';

if (subdomain) {
    subdomain = subdomain.substr(0, subdomain.length - 1).split('.')
        .join('_')
        .toLowerCase() + '.';
}

// In case of no ssi provided by the webserver, use empty strings
if (subdir.startsWith('<!--')) {
    subdir = '';
}
if (subdomain.startsWith('<!--')) {
    subdomain = '';
}

var enableJaaS = false;

var config = {
    // Connection
    //

    hosts: {
        // XMPP domain.
        domain: 'meet.example.org',

        // When using authentication, domain for guest users.
        anonymousdomain: 'guest.meet.example.org',

        // Domain for authenticated users. Defaults to <domain>.
        // authdomain: 'meet.example.org',

        // Focus component domain. Defaults to focus.<domain>.
        // focus: 'focus.meet.example.org',

        // XMPP MUC domain. FIXME: use XEP-0030 to discover it.
        muc: 'conference.' + subdomain + 'meet.example.org',
    },

    // BOSH URL. FIXME: use XEP-0156 to discover it.
    bosh: 'https://meet.example.org/' + subdir + 'http-bind',

    // Websocket URL (XMPP over WebSocket)
    websocket: 'wss://meet.example.org/' + subdir + 'xmpp-websocket',

    // Whether BOSH should be preferred over WebSocket if both are configured.
    // preferBosh: false,

    // Enables the lobby for guests waiting for a token holder.
    // prejoinConfig: { enabled: true },

    p2p: {
        enabled: true,
        stunServers: [
            { urls: 'stun:meet.example.org:3478' },
        ],
    },

    analytics: {},

    // Information for the chrome extension banner
    // chromeExtensionBanner: {},
};

// Temporary backwards compatibility with old mobile clients.
config.flags = config.flags || {};
config.flags.sourceNameSignaling = true;
config.flags.sendMultipleVideoStreams = true;
config.flags.receiveMultipleVideoStreams = true;

/* eslint-enable no-unused-vars, no-var */
