#!/usr/bin/env bash
# Generates the demo library's FlowSense tour video and its poster frame from ffmpeg's
# synthetic sources only (no footage, no downloads), so the demo media is reproducible.
# Output: flowsense-tour.webm (640x360, 10 s, VP9, no audio) and flowsense-tour-poster.png.
set -euo pipefail
cd "$(dirname "$0")"

command -v ffmpeg >/dev/null || { echo "make-video.sh: ffmpeg is required (apt-get install ffmpeg)" >&2; exit 1; }

# drawtext needs a font file; use the system sans if fontconfig finds one, else draw boxes only.
FONT=""
if command -v fc-match >/dev/null; then
  FONT="$(fc-match -f '%{file}' sans 2>/dev/null || true)"
fi

NAVY=0x0b2545; BRAND=0x0b6e99; ACCENT=0x13c4a3; TINT=0xe8f3f8

# Scene timeline (seconds): 0-3 title, 3-7 dashboard with rising bars, 7-10 alert and call to action.
# Shapes: a dashboard frame, three "unit" tiles and bars whose height grows with time t.
shapes="drawbox=x=0:y=0:w=iw:h=48:color=${BRAND}:t=fill"
shapes+=",drawbox=x=0:y=48:w=iw:h=4:color=${ACCENT}:t=fill"
shapes+=",drawbox=x=40:y=90:w=170:h=90:color=${TINT}@0.95:t=fill:enable='gte(t,3)'"
shapes+=",drawbox=x=235:y=90:w=170:h=90:color=${TINT}@0.95:t=fill:enable='gte(t,3)'"
shapes+=",drawbox=x=430:y=90:w=170:h=90:color=${TINT}@0.95:t=fill:enable='gte(t,3)'"
shapes+=",drawbox=x=40:y=90:w=6:h=90:color=${ACCENT}:t=fill:enable='gte(t,3)'"
shapes+=",drawbox=x=235:y=90:w=6:h=90:color=${ACCENT}:t=fill:enable='gte(t,3)'"
shapes+=",drawbox=x=430:y=90:w=6:h=90:color=0xf2c14e:t=fill:enable='gte(t,3)'"
shapes+=",drawbox=x=40:y=200:w=560:h=130:color=white@0.08:t=fill:enable='gte(t,3)'"
for i in 0 1 2 3 4 5 6 7 8 9 10 11; do
  x=$((60 + i * 45))
  # Each bar grows over one second, staggered, to a height between 40 and 110 pixels.
  hmax=$(( 40 + (i * 37 % 70) ))
  shapes+=",drawbox=x=${x}:y='320-min(${hmax}\,max(0\,(t-3-${i}*0.15))*${hmax})':w=30:h='min(${hmax}\,max(0\,(t-3-${i}*0.15))*${hmax})':color=${ACCENT}:t=fill:enable='gte(t,3)'"
done
shapes+=",drawbox=x=140:y=120:w=360:h=120:color=0xf2c14e:t=fill:enable='between(t,7,10)'"

text=""
# Text values must not contain colons or quotes: they would need filtergraph escaping.
if [[ -n "$FONT" ]]; then
  dt() { # dt TEXT X Y SIZE COLOUR ENABLE
    text+=",drawtext=fontfile='${FONT}':text='$1':x=$2:y=$3:fontsize=$4:fontcolor=$5:enable='$6'"
  }
  dt "BRIGHTWATER SYSTEMS" 20 14 20 white "1"
  dt "FlowSense" "(w-tw)/2" 120 64 white "lt(t,3)"
  dt "Remote monitoring for AquaCore units" "(w-tw)/2" 200 24 ${TINT} "lt(t,3)"
  dt "AquaCore 200" 58 104 16 ${NAVY} "between(t,3,7)"
  dt "AquaCore 500" 253 104 16 ${NAVY} "between(t,3,7)"
  dt "AquaCore 500" 448 104 16 ${NAVY} "between(t,3,7)"
  dt "OK  212 L/h" 58 134 14 ${BRAND} "between(t,3,7)"
  dt "OK  498 L/h" 253 134 14 ${BRAND} "between(t,3,7)"
  dt "Filter due" 448 134 14 ${BRAND} "between(t,3,7)"
  dt "12 uS/cm" 58 156 13 ${BRAND} "between(t,3,7)"
  dt "9 uS/cm" 253 156 13 ${BRAND} "between(t,3,7)"
  dt "in 6 days" 448 156 13 ${BRAND} "between(t,3,7)"
  dt "Litres per hour, last 12 hours" 60 210 14 white "between(t,3,7)"
  dt "Alert - filter kit FK-500" "(w-tw)/2" 150 26 ${NAVY} "between(t,7,10)"
  dt "Order in one tap" "(w-tw)/2" 195 22 ${NAVY} "between(t,7,10)"
fi

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "color=c=${NAVY}:s=640x360:r=25:d=10" \
  -vf "format=yuv420p,${shapes}${text}" \
  -an -c:v libvpx-vp9 -b:v 220k -crf 40 -deadline good -cpu-used 4 -row-mt 1 \
  -pix_fmt yuv420p -fflags +bitexact -flags:v +bitexact -metadata title="FlowSense tour" \
  flowsense-tour.webm

# The poster is the dashboard at 6 s: bars fully grown, the most telling frame.
ffmpeg -hide_banner -loglevel error -y -ss 6 -i flowsense-tour.webm -frames:v 1 -update 1 flowsense-tour-poster.png

ls -l flowsense-tour.webm flowsense-tour-poster.png
