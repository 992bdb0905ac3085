"""Beyond the chat: QR posters, FAQ cards, and campaign texts for the loudspeaker, the website
and Facebook/Zalo pages, SMS and leaflets — one content, written once (see docs/outreach.md)."""
