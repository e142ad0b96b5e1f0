import { QRCodeSVG } from 'qrcode.react';

/** The ticket's QR code: it encodes the ticket code and nothing else. */
export function TicketQr({ code, size = 128 }: { code: string; size?: number }) {
  return <QRCodeSVG value={code} size={size} marginSize={2} role="img" aria-label={`QR code of ticket ${code}`} title={`Ticket ${code}`} />;
}
