var config = {
    hosts: {
        domain: 'meet.school.example',
        anonymousdomain: 'guest.meet.school.example',
        muc: 'conference.<!--# echo var="subdomain" default="" -->meet.school.example'
    },
    bosh: 'https://meet.school.example/' + subdir + 'http-bind',
    websocket: 'wss://meet.school.example/' + subdir + 'xmpp-websocket',
};
