// hls.js ships types only for its full build; the light build (no EME/DRM, alt audio,
// in-playlist subtitles, CMCD, content steering, interstitials) exposes the same API
// minus those features, none of which the player uses. Captions are native <track>.
declare module "hls.js/light" {
  import Hls from "hls.js";
  export * from "hls.js";
  export default Hls;
}
