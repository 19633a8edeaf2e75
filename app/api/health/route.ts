import { json } from "@/lib/api/respond";
import { health } from "@/lib/health";

// GET /api/health - state of database, storage, signer and ffmpeg; 503 when a critical part is down
export async function GET(): Promise<Response> {
  const { status, body } = await health();
  return json(body, { status });
}
